#!/usr/bin/env bash
# An Open vSwitch userspace (datapath_type=netdev) NVGRE endpoint inside network namespace NS:
# ovsdb-server and ovs-vswitchd run there with their own run directory; the namespace's underlay
# port eth0 (holding PA) moves onto bridge br-phy (userspace tunnelling needs the PA on an OVS
# bridge), and a "VM" is the internal port vm0 with CA/MAC, tunnelled to REMOTE_PA with
# key = VSID<<8 (the NVGRE key, flow id 0). Peers' MAC/CA pairs are static neighbours, as an
# external host keeps its own table. With OVS_VM_PORT=IFNAME the "VM" is instead an existing
# interface of NS (e.g. a veth into a VM namespace, which holds the address; pass - - for CA MAC).
#   ovs-peer.sh up NS PA/LEN REMOTE_PA VSID CA/LEN MAC [PEER_CA PEER_MAC]...
#   ovs-peer.sh down NS
set -euo pipefail
cmd="$1"; ns="$2"
run="/tmp/weft-lab-ovs-$ns"
vsctl() { ovs-vsctl --db="unix:$run/db.sock" --timeout=10 "$@"; }
in_ns() { ip netns exec "$ns" "$@"; }

if [ "$cmd" = down ]; then
  for p in "$run"/ovs-vswitchd.pid "$run"/ovsdb-server.pid; do
    [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true
  done
  rm -rf "$run"
  exit 0
fi

pa="$3"; remote="$4"; vsid="$5"; ca="$6"; mac="$7"; shift 7
rm -rf "$run"; mkdir -p "$run"
ovsdb-tool create "$run/conf.db" /usr/share/openvswitch/vswitch.ovsschema
in_ns env OVS_RUNDIR="$run" OVS_LOGDIR="$run" OVS_DBDIR="$run" ovsdb-server "$run/conf.db" \
  --remote="punix:$run/db.sock" --pidfile="$run/ovsdb-server.pid" \
  --unixctl="$run/ovsdb-server.ctl" --log-file="$run/ovsdb-server.log" --detach
vsctl --no-wait init
in_ns env OVS_RUNDIR="$run" OVS_LOGDIR="$run" OVS_DBDIR="$run" ovs-vswitchd "unix:$run/db.sock" \
  --pidfile="$run/ovs-vswitchd.pid" --unixctl="$run/ovs-vswitchd.ctl" \
  --log-file="$run/ovs-vswitchd.log" --detach
# The underlay: eth0 on br-phy, the PA on br-phy.
vsctl add-br br-phy -- set bridge br-phy datapath_type=netdev
vsctl add-port br-phy eth0
ip -n "$ns" addr del "$pa" dev eth0
ip -n "$ns" addr add "$pa" dev br-phy
ip -n "$ns" link set br-phy up
# The overlay: the VM port and the NVGRE tunnel.
vm="${OVS_VM_PORT:-vm0}"
if [ -n "${OVS_VM_PORT:-}" ]; then
  vsctl add-br br0 -- set bridge br0 datapath_type=netdev -- add-port br0 "$vm"
  ip -n "$ns" link set "$vm" up
else
  vsctl add-br br0 -- set bridge br0 datapath_type=netdev \
    -- add-port br0 vm0 -- set interface vm0 type=internal
fi
vsctl add-port br0 gre0 -- set interface gre0 type=gre options:remote_ip="$remote" options:key=flow
key=$(printf '0x%x' $((vsid << 8)))
export OVS_RUNDIR="$run"
command ovs-ofctl del-flows br0
command ovs-ofctl add-flow br0 "in_port=$vm,actions=set_tunnel:$key,output:gre0"
command ovs-ofctl add-flow br0 "in_port=gre0,tun_id=$key/0xffffff00,actions=output:$vm"
[ -n "${OVS_VM_PORT:-}" ] && exit 0
ip -n "$ns" link set vm0 address "$mac" mtu 1400 up
ip -n "$ns" addr add "$ca" dev vm0
while [ $# -ge 2 ]; do
  ip -n "$ns" neigh replace "$1" lladdr "$2" dev vm0 nud permanent
  shift 2
done
