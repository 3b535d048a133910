package io.weft.dataplane.pipeline;

import static io.weft.dataplane.table.TableFixtures.TENANT_A;
import static io.weft.dataplane.table.TableFixtures.ip;
import static io.weft.dataplane.table.TableFixtures.mac;
import static io.weft.dataplane.table.TableFixtures.subnet;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.codec.Arp;
import io.weft.dataplane.codec.Bytes;
import io.weft.dataplane.codec.Dhcpv4;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.codec.Icmpv4;
import io.weft.dataplane.codec.Icmpv6;
import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.Ipv6;
import io.weft.dataplane.codec.Nvgre;
import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.MacAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmNetworkTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The switch on one host, driven directly: every security and guard case, traces, ND, decap. */
class VirtualSwitchTest {

  private static final long VM_MAC = mac("02:00:00:00:00:10").value();
  private static final int VM_IP = ip("10.0.0.10").v4Bits();
  private static final long GW = MacAddress.DISTRIBUTED_ROUTER.value();
  private final List<String> toPorts = new ArrayList<>();
  private final List<byte[]> underlay = new ArrayList<>();
  private long now = 1_000_000_000L;

  private final SwitchOutput output =
      new SwitchOutput() {
        @Override
        public void toPort(String portId, byte[] b, int off, int len) {
          toPorts.add(portId);
        }

        @Override
        public void toUnderlay(int pa, byte[] b, int off, int len) {
          underlay.add(Arrays.copyOfRange(b, off, off + len));
        }
      };

  static HostTable table() {
    var s1 = subnet(5001, "10.0.0.0/24", "10.0.0.1");
    var s2 = subnet(5002, "10.0.1.0/24", "10.0.1.1");
    var s6 =
        new io.weft.dataplane.table.VmSubnet(
            5003,
            io.weft.dataplane.table.IpPrefix.parse("fd00:1::/64"),
            ip("fd00:1::1"),
            null,
            null);
    return new HostTable(
        "h1",
        3,
        Encapsulation.NVGRE,
        ip("192.168.1.1"),
        1400,
        List.of(
            new VmNetworkTable(
                TENANT_A,
                List.of(s1, s2, s6),
                List.of(
                    new LookupRecord(
                        5001, ip("10.0.0.10"), mac("02:00:00:00:00:10"), ip("192.168.1.1")),
                    new LookupRecord(
                        5001, ip("10.0.0.11"), mac("02:00:00:00:00:11"), ip("192.168.1.2")),
                    new LookupRecord(
                        5002, ip("10.0.1.10"), mac("02:00:00:00:01:10"), ip("192.168.1.3")),
                    new LookupRecord(
                        5003, ip("fd00:1::10"), mac("02:00:00:00:06:10"), ip("192.168.1.1")),
                    new LookupRecord(
                        5003, ip("fd00:1::11"), mac("02:00:00:00:06:11"), ip("192.168.1.2"))),
                List.of(
                    new PortEntry(
                        "vm1",
                        5001,
                        mac("02:00:00:00:00:10"),
                        AddressingMode.STATIC,
                        List.of(ip("10.0.0.10")),
                        true,
                        true,
                        5),
                    PortEntry.guarded(
                        "vm6",
                        5003,
                        mac("02:00:00:00:06:10"),
                        AddressingMode.STATIC,
                        List.of(ip("fd00:1::10")))))));
  }

  private VirtualSwitch newSwitch() {
    return new VirtualSwitch(table(), output, LeaseAuthority.TABLE_ONLY, () -> now);
  }

  private static byte[] echo(long srcMac, int srcIp, long dstMac, String dst) {
    byte[] b = new byte[200];
    int len = FrameWriter.icmpEchoV4(b, 0, dstMac, srcMac, srcIp, ip(dst).v4Bits(), 8, 1, 1, 32);
    return Arrays.copyOf(b, len);
  }

  private static long drops(VirtualSwitch sw, DropReason r) {
    return sw.counters().ports().get("vm1").dropped(r);
  }

  @Test
  void l2AndRoutedTrafficIsEncapsulatedWithTheDestinationsVsid() {
    VirtualSwitch sw = newSwitch();
    sw.fromPort("vm1", echo(VM_MAC, VM_IP, mac("02:00:00:00:00:11").value(), "10.0.0.11"), 0, 74);
    assertThat(underlay).hasSize(1);
    byte[] p = underlay.getFirst();
    assertThat(Ipv4.dst(p, 0)).isEqualTo(ip("192.168.1.2").v4Bits());
    assertThat(Ipv4.protocol(p, 0)).isEqualTo(Ipv4.PROTO_GRE);
    assertThat(Nvgre.vsid(p, 20)).isEqualTo(5001);

    List<TraceStep> steps = new ArrayList<>();
    byte[] routed = echo(VM_MAC, VM_IP, GW, "10.0.1.10");
    sw.fromPort("vm1", routed, 0, routed.length, steps::add);
    byte[] q = underlay.getLast();
    assertThat(Nvgre.vsid(q, 20)).isEqualTo(5002);
    int inner = 28;
    assertThat(Ethernet.dst(q, inner)).isEqualTo(mac("02:00:00:00:01:10").value());
    assertThat(Ethernet.src(q, inner)).isEqualTo(GW);
    assertThat(Ipv4.ttl(q, inner + 14)).isEqualTo(63);
    assertThat(Ipv4.checksumValid(q, inner + 14)).isTrue();
    assertThat(steps)
        .extracting(TraceStep::stage)
        .containsExactly(
            TraceStage.PARSE, TraceStage.PORT_SECURITY, TraceStage.ROUTE, TraceStage.ENCAPSULATE);
    assertThat(Ipv4.ttl(routed, 14)).as("the caller's frame is not modified").isEqualTo(64);
  }

  @Test
  void tracerRunsTheSameCodeOverAnyTableAndChainsToTheDestination() {
    byte[] routed = echo(VM_MAC, VM_IP, GW, "10.0.1.10");
    PacketTracer.TraceReport hop1 = PacketTracer.trace(table(), "vm1", routed);
    assertThat(hop1.dropped()).isFalse();
    assertThat(hop1.emitted()).singleElement().matches(PacketTracer.Emitted::toUnderlay);
    // The destination host has the vNIC for 10.0.1.10 locally.
    HostTable dest = destinationTable();
    PacketTracer.TraceReport hop2 =
        PacketTracer.traceUnderlay(dest, hop1.emitted().getFirst().bytes());
    assertThat(hop2.steps())
        .extracting(TraceStep::stage)
        .contains(TraceStage.DECAPSULATE, TraceStage.DELIVER);
    assertThat(hop2.emitted().getFirst().portId()).isEqualTo("vm3");
  }

  private static HostTable destinationTable() {
    HostTable t = table();
    VmNetworkTable n = t.networks().getFirst();
    return new HostTable(
        "h3",
        1,
        Encapsulation.NVGRE,
        ip("192.168.1.3"),
        1400,
        List.of(
            new VmNetworkTable(
                TENANT_A,
                n.subnets(),
                n.lookupRecords(),
                List.of(
                    PortEntry.guarded(
                        "vm3",
                        5002,
                        mac("02:00:00:00:01:10"),
                        AddressingMode.STATIC,
                        List.of(ip("10.0.1.10")))))));
  }

  @Test
  void spoofedSourcesAreDroppedAndCounted() {
    VirtualSwitch sw = newSwitch();
    long peer = mac("02:00:00:00:00:11").value();
    sw.fromPort("vm1", echo(mac("02:00:00:00:00:99").value(), VM_IP, peer, "10.0.0.11"), 0, 74);
    sw.fromPort("vm1", echo(VM_MAC, ip("10.0.0.99").v4Bits(), peer, "10.0.0.11"), 0, 74);
    byte[] arp = new byte[42];
    FrameWriter.arp(
        arp, 0, Ethernet.BROADCAST, Arp.OP_REQUEST, VM_MAC, ip("10.0.0.11").v4Bits(), 0, VM_IP);
    sw.fromPort("vm1", arp, 0, 42);
    assertThat(drops(sw, DropReason.SPOOFED_SOURCE)).isEqualTo(3);
    assertThat(sw.counters().dropped(DropReason.SPOOFED_SOURCE)).isEqualTo(3);
    assertThat(underlay).isEmpty();
    assertThat(toPorts).isEmpty();
  }

  @Test
  void guardsDropDhcpServerRepliesRedirectsAndRouterAdvertisements() {
    VirtualSwitch sw = newSwitch();
    byte[] b = new byte[600];
    int o = FrameWriter.UDP_V4_PAYLOAD;
    int p = Dhcpv4.writeFixed(b, o, Dhcpv4.OP_REPLY, 1, 0, 0, ip("10.0.0.50").v4Bits(), 0, 2);
    p = Dhcpv4.putByteOption(b, p, Dhcpv4.OPT_MESSAGE_TYPE, Dhcpv4.OFFER);
    p = Dhcpv4.putEnd(b, p);
    int len = FrameWriter.udpV4(b, 0, Ethernet.BROADCAST, VM_MAC, VM_IP, -1, 67, 68, p - o);
    sw.fromPort("vm1", b, 0, len);
    assertThat(drops(sw, DropReason.DHCP_GUARD)).isEqualTo(1);

    byte[] redirect = echo(VM_MAC, VM_IP, peerMac(), "10.0.0.11");
    redirect[34] = (byte) Icmpv4.REDIRECT;
    sw.fromPort("vm1", redirect, 0, redirect.length);
    byte[] ra = new byte[200];
    int raLen =
        FrameWriter.icmpEchoV6(
            ra,
            0,
            0x3333_0000_0001L,
            VM_MAC,
            0xFE80L << 48,
            0x10,
            0xFF02L << 48,
            1,
            Icmpv6.ROUTER_ADVERTISEMENT,
            0,
            0,
            8);
    sw.fromPort("vm1", ra, 0, raLen);
    assertThat(drops(sw, DropReason.ROUTER_GUARD)).isEqualTo(2);
  }

  private static long peerMac() {
    return mac("02:00:00:00:00:11").value();
  }

  @Test
  void broadcastStormIsLimitedAndArpIsAnsweredNotFlooded() {
    VirtualSwitch sw = newSwitch();
    byte[] arp = new byte[42];
    FrameWriter.arp(
        arp, 0, Ethernet.BROADCAST, Arp.OP_REQUEST, VM_MAC, VM_IP, 0, ip("10.0.0.1").v4Bits());
    for (int i = 0; i < 20; i++) {
      sw.fromPort("vm1", arp, 0, 42);
    }
    assertThat(toPorts).hasSize(5).containsOnly("vm1");
    assertThat(drops(sw, DropReason.STORM)).isEqualTo(15);
    now += 1_000_000_000L;
    sw.fromPort("vm1", arp, 0, 42);
    assertThat(toPorts).hasSize(6);
    assertThat(underlay).as("nothing flooded").isEmpty();
  }

  @Test
  void malformedFramesAreCountedNotThrown() {
    VirtualSwitch sw = newSwitch();
    byte[] f = echo(VM_MAC, VM_IP, peerMac(), "10.0.0.11");
    sw.fromPort("vm1", f, 0, 20);
    sw.fromPort("vm1", f, 0, 10);
    sw.fromPort("nope", f, 0, f.length);
    sw.fromUnderlay(f, 3, 9);
    sw.fromUnderlay(new byte[60], 0, 60);
    CounterSnapshot c = sw.counters();
    assertThat(c.ports().get("vm1").dropped(DropReason.MALFORMED)).isEqualTo(2);
    assertThat(c.dropped(DropReason.UNKNOWN_PORT)).isEqualTo(1);
    assertThat(c.dropped(DropReason.MALFORMED)).isEqualTo(4);
  }

  @Test
  void neighbourSolicitationForGatewayAndPeerIsAnswered() {
    VirtualSwitch sw = newSwitch();
    long src = mac("02:00:00:00:06:10").value();
    IpAddressPair me = new IpAddressPair("fd00:1::10");
    for (String target : List.of("fd00:1::1", "fd00:1::11")) {
      IpAddressPair t = new IpAddressPair(target);
      byte[] b = new byte[200];
      int len = FrameWriter.neighborSolicitation(b, 0, src, me.hi, me.lo, t.hi, t.lo);
      sw.fromPort("vm6", b, 0, len);
    }
    assertThat(toPorts).containsExactly("vm6", "vm6");
    byte[] ping = new byte[200];
    IpAddressPair peer = new IpAddressPair("fd00:1::11");
    int len =
        FrameWriter.icmpEchoV6(
            ping,
            0,
            mac("02:00:00:00:06:11").value(),
            src,
            me.hi,
            me.lo,
            peer.hi,
            peer.lo,
            128,
            1,
            1,
            8);
    sw.fromPort("vm6", ping, 0, len);
    assertThat(underlay).hasSize(1);
    assertThat(Nvgre.vsid(underlay.getFirst(), 20)).isEqualTo(5003);
  }

  private record IpAddressPair(long hi, long lo) {
    IpAddressPair(String s) {
      this(ip(s).hi(), ip(s).lo());
    }
  }

  @Test
  void underlayDeliversOnlyToALocalVnicOfThePacketsVsid() {
    VirtualSwitch sender =
        new VirtualSwitch(destinationTable(), output, LeaseAuthority.TABLE_ONLY, () -> now);
    // From vm3 (10.0.1.10 on h3) routed to vm1 (10.0.0.10 on h1).
    byte[] f = echo(mac("02:00:00:00:01:10").value(), ip("10.0.1.10").v4Bits(), GW, "10.0.0.10");
    sender.fromPort("vm3", f, 0, f.length);
    byte[] packet = underlay.getLast();
    VirtualSwitch h1 = newSwitch();
    h1.fromUnderlay(packet, 0, packet.length);
    assertThat(toPorts).containsExactly("vm1");
    // Same packet relabelled with a VSID this host lacks, or another subnet's VSID: dropped.
    Bytes.put32(packet, 24, (7777 << 8));
    h1.fromUnderlay(packet, 0, packet.length);
    Bytes.put32(packet, 24, (5002 << 8));
    h1.fromUnderlay(packet, 0, packet.length);
    assertThat(toPorts).hasSize(1);
    assertThat(h1.counters().dropped(DropReason.UNKNOWN_VSID)).isEqualTo(1);
    assertThat(h1.counters().dropped(DropReason.NOT_LOCAL)).isEqualTo(1);
    assertThat(Ipv6.HEADER).isEqualTo(40);
  }
}
