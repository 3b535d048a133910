#!/bin/bash
# How wave-1.sql was made: build commit f0b8a4b (git archive f0b8a4b | tar -x; ./mvnw -pl portal -am package),
# start its jar on an empty PostgreSQL database (WEFT_DB_URL=..., WEFT_ADMIN_PASSWORD=Launcher-admin-password-1,
# WEFT_SIMULATION_HOSTS=0, --server.port=18555), run this script, migrate web-1 to the other host and let both
# agents poll and report again, then: pg_dump --no-owner --no-privileges --inserts DB, dropping the \restrict lines.
# Creates a small cloud through wave 1's REST API (the data the upgrade test starts from).
set -euo pipefail
B=http://127.0.0.1:18555
A="admin:Launcher-admin-password-1"
j() { python3 -c "import sys,json; d=json.load(sys.stdin); print(eval('d'+sys.argv[1]))" "$1"; }
post() { curl -sf -u "$1" -H 'Content-Type: application/json' -X "${4:-POST}" "$B$2" -d "$3"; }
LN=$(post $A /api/v1/logical-networks '{"name":"wave1-site","paCidr":"10.200.0.0/24","encapsulation":"NVGRE"}' | j "['id']")
H1=$(post $A /api/v1/hosts "{\"name\":\"wave1-host-1\",\"logicalNetworkId\":\"$LN\",\"vmSlots\":32}")
H2=$(post $A /api/v1/hosts "{\"name\":\"wave1-host-2\",\"logicalNetworkId\":\"$LN\",\"vmSlots\":32}")
H1ID=$(echo "$H1" | j "['host']['id']"); H1TOK=$(echo "$H1" | j "['agentToken']")
H2ID=$(echo "$H2" | j "['host']['id']"); H2TOK=$(echo "$H2" | j "['agentToken']")
post $A /api/v1/hosts/$H1ID/state '{"state":"READY"}' PUT >/dev/null
post $A /api/v1/hosts/$H2ID/state '{"state":"READY"}' PUT >/dev/null
TEN=$(post $A /api/v1/signup '{"organization":"Wave One Org","adminEmail":"owner@wave1.example","password":"Wave1-tenant-password"}' | j "['id']")
T="owner@wave1.example:Wave1-tenant-password"
NET=$(post $T /api/v1/tenants/$TEN/vm-networks '{"name":"wave1-net"}' | j "['id']")
S1=$(post $T /api/v1/tenants/$TEN/vm-networks/$NET/subnets '{"name":"front","cidr":"10.1.0.0/24","staticRange":{"start":"10.1.0.10","end":"10.1.0.100"}}' | j "['id']")
S2=$(post $T /api/v1/tenants/$TEN/vm-networks/$NET/subnets '{"name":"back","cidr":"10.1.1.0/24"}' | j "['id']")
post $T /api/v1/tenants/$TEN/subnets/$S2/dhcp-ranges '{"start":"10.1.1.50","end":"10.1.1.99"}' >/dev/null
for i in 1 2 3 4 5; do
  post $T /api/v1/tenants/$TEN/vms "{\"name\":\"web-$i\",\"nics\":[{\"subnetId\":\"$S1\",\"addressing\":\"STATIC\"}]}" >/dev/null
done
for i in 1 2 3; do
  post $T /api/v1/tenants/$TEN/vms "{\"name\":\"db-$i\",\"nics\":[{\"subnetId\":\"$S2\",\"addressing\":\"DHCP\"}]}" >/dev/null
done
# A second tenant with the same CIDR, so isolation is checked on upgraded data too.
TEN2=$(post $A /api/v1/signup '{"organization":"Other Wave One Org","adminEmail":"owner@other.example","password":"Wave1-other-password"}' | j "['id']")
T2="owner@other.example:Wave1-other-password"
NET2=$(post $T2 /api/v1/tenants/$TEN2/vm-networks '{"name":"other-net"}' | j "['id']")
S3=$(post $T2 /api/v1/tenants/$TEN2/vm-networks/$NET2/subnets '{"name":"same","cidr":"10.1.0.0/24","staticRange":{"start":"10.1.0.10","end":"10.1.0.100"}}' | j "['id']")
post $T2 /api/v1/tenants/$TEN2/vms "{\"name\":\"other-1\",\"nics\":[{\"subnetId\":\"$S3\",\"addressing\":\"STATIC\"}]}" >/dev/null
# The agents take their tables and report them, as running hosts do.
for pair in "$H1ID $H1TOK" "$H2ID $H2TOK"; do
  set -- $pair
  SNAP=$(curl -sf -H "Authorization: Bearer $2" "$B/api/v1/agent/table?since=0&wait=0")
  GEN=$(echo "$SNAP" | j "['table']['generation']")
  curl -sf -H "Authorization: Bearer $2" -H 'Content-Type: application/json' "$B/api/v1/agent/status" \
    -d "{\"formatVersion\":1,\"hostId\":\"$1\",\"generation\":$GEN,\"digest\":\"wave1\"}" >/dev/null || echo "status failed for $1"
done
echo "tenant=$TEN tenant2=$TEN2 host1=$H1ID token1=$H1TOK host2=$H2ID token2=$H2TOK"
