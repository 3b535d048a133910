package io.weft.dataplane.pipeline;

import static io.weft.dataplane.table.TableFixtures.ip;
import static io.weft.dataplane.table.TableFixtures.mac;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.codec.Bytes;
import io.weft.dataplane.codec.Checksum;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.codec.Icmpv4;
import io.weft.dataplane.codec.Icmpv6;
import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.Ipv6;
import io.weft.dataplane.table.MacAddress;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Frames larger than the overlay MTU (1400 in the fixture table): the VM hears why, in the form its
 * kernel acts on (ICMP "fragmentation needed" with the MTU, ICMPv6 "packet too big"), the packet is
 * counted, nothing goes to the underlay, and a packet of exactly the MTU still passes.
 */
class OverlayMtuTest {

  private static final long VM_MAC = mac("02:00:00:00:00:10").value();
  private static final long PEER_MAC = mac("02:00:00:00:00:11").value();
  private static final long VM6_MAC = mac("02:00:00:00:06:10").value();
  private static final long GW = MacAddress.DISTRIBUTED_ROUTER.value();
  private static final int MTU = 1400;

  private final List<byte[]> toVm = new ArrayList<>();
  private final List<byte[]> underlay = new ArrayList<>();
  private final VirtualSwitch sw =
      new VirtualSwitch(
          VirtualSwitchTest.table(),
          new SwitchOutput() {
            @Override
            public void toPort(String portId, byte[] b, int off, int len) {
              toVm.add(Arrays.copyOfRange(b, off, off + len));
            }

            @Override
            public void toUnderlay(int pa, byte[] b, int off, int len) {
              underlay.add(Arrays.copyOfRange(b, off, off + len));
            }
          },
          LeaseAuthority.TABLE_ONLY,
          System::nanoTime);

  /** An echo request whose IPv4 packet is {@code ipLength} bytes, DF set (Linux's default). */
  private static byte[] ping4(int ipLength) {
    byte[] b = new byte[2000];
    int len =
        FrameWriter.icmpEchoV4(
            b,
            0,
            PEER_MAC,
            VM_MAC,
            ip("10.0.0.10").v4Bits(),
            ip("10.0.0.11").v4Bits(),
            Icmpv4.ECHO_REQUEST,
            7,
            1,
            ipLength - 28);
    return Arrays.copyOf(b, len);
  }

  private static byte[] ping6(int ipLength) {
    byte[] b = new byte[2000];
    var src = ip("fd00:1::10");
    var dst = ip("fd00:1::11");
    int len =
        FrameWriter.icmpEchoV6(
            b,
            0,
            mac("02:00:00:00:06:11").value(),
            VM6_MAC,
            src.hi(),
            src.lo(),
            dst.hi(),
            dst.lo(),
            Icmpv6.ECHO_REQUEST,
            7,
            1,
            ipLength - 48);
    return Arrays.copyOf(b, len);
  }

  @Test
  void anOversizeIpv4PacketWithDfGetsFragmentationNeededWithTheMtu() {
    byte[] big = ping4(MTU + 1);
    sw.fromPort("vm1", big, 0, big.length);

    assertThat(underlay).isEmpty();
    assertThat(toVm).hasSize(1);
    byte[] r = toVm.getFirst();
    int ip = Ethernet.HEADER;
    int icmp = ip + Ipv4.MIN_HEADER;
    assertThat(Ethernet.dst(r, 0)).isEqualTo(VM_MAC);
    assertThat(Ethernet.src(r, 0)).isEqualTo(GW);
    assertThat(Bytes.u16(r, 12)).isEqualTo(Ethernet.TYPE_IPV4);
    assertThat(Ipv4.checksumValid(r, ip)).isTrue();
    assertThat(Ipv4.protocol(r, ip)).isEqualTo(Ipv4.PROTO_ICMP);
    assertThat(Ipv4.src(r, ip)).as("from the subnet's gateway").isEqualTo(ip("10.0.0.1").v4Bits());
    assertThat(Ipv4.dst(r, ip)).isEqualTo(ip("10.0.0.10").v4Bits());
    assertThat(Ipv4.totalLength(r, ip)).isEqualTo(576).isEqualTo(r.length - Ethernet.HEADER);
    assertThat(Icmpv4.type(r, icmp)).isEqualTo(3);
    assertThat(Icmpv4.code(r, icmp)).isEqualTo(4);
    assertThat(Bytes.u16(r, icmp + 6)).as("next-hop MTU").isEqualTo(MTU);
    assertThat(Icmpv4.checksumValid(r, icmp, r.length - icmp)).isTrue();
    assertThat(Arrays.copyOfRange(r, icmp + 8, r.length))
        .as("quotes the original packet from its IP header on")
        .isEqualTo(Arrays.copyOfRange(big, Ethernet.HEADER, Ethernet.HEADER + 576 - 28));
    assertThat(sw.counters().ports().get("vm1").dropped(DropReason.TOO_BIG)).isEqualTo(1);
    assertThat(sw.counters().dropped(DropReason.TOO_BIG)).isEqualTo(1);
  }

  @Test
  void aPacketOfExactlyTheMtuPasses() {
    byte[] fits = ping4(MTU);
    sw.fromPort("vm1", fits, 0, fits.length);
    assertThat(underlay).hasSize(1);
    assertThat(toVm).isEmpty();
    assertThat(sw.counters().dropped(DropReason.TOO_BIG)).isZero();
  }

  @Test
  void anOversizeIpv4PacketWithoutDfIsDroppedAndCountedWithoutAnswer() {
    byte[] big = ping4(MTU + 100);
    Bytes.put16(big, Ethernet.HEADER + 6, 0); // clear DF
    Bytes.put16(big, Ethernet.HEADER + 10, 0);
    Bytes.put16(big, Ethernet.HEADER + 10, Checksum.compute(big, Ethernet.HEADER, 20));
    sw.fromPort("vm1", big, 0, big.length);
    assertThat(underlay).isEmpty();
    assertThat(toVm).isEmpty();
    assertThat(sw.counters().ports().get("vm1").dropped(DropReason.TOO_BIG)).isEqualTo(1);
  }

  @Test
  void anOversizeIpv6PacketGetsPacketTooBigWithinTheMinimumMtu() {
    byte[] big = ping6(MTU + 1);
    sw.fromPort("vm6", big, 0, big.length);

    assertThat(underlay).isEmpty();
    assertThat(toVm).hasSize(1);
    byte[] r = toVm.getFirst();
    int ip = Ethernet.HEADER;
    int icmp = ip + Ipv6.HEADER;
    assertThat(Ethernet.dst(r, 0)).isEqualTo(VM6_MAC);
    assertThat(Bytes.u16(r, 12)).isEqualTo(Ethernet.TYPE_IPV6);
    assertThat(Ipv6.nextHeader(r, ip)).isEqualTo(Ipv6.NEXT_ICMPV6);
    assertThat(Ipv6.srcHi(r, ip)).isEqualTo(ip("fd00:1::1").hi());
    assertThat(Ipv6.srcLo(r, ip)).as("from the subnet's gateway").isEqualTo(ip("fd00:1::1").lo());
    assertThat(Ipv6.dstLo(r, ip)).isEqualTo(ip("fd00:1::10").lo());
    assertThat(r.length - Ethernet.HEADER).as("RFC 4443: at most 1280 bytes").isEqualTo(1280);
    assertThat(Bytes.u8(r, icmp)).isEqualTo(2);
    assertThat(Bytes.u8(r, icmp + 1)).isZero();
    assertThat(Bytes.u16(r, icmp + 6)).as("MTU (low half of 32 bits)").isEqualTo(MTU);
    assertThat(Icmpv6.checksumValid(r, ip, icmp, r.length - icmp)).isTrue();
    assertThat(Arrays.copyOfRange(r, icmp + 8, icmp + 48))
        .isEqualTo(Arrays.copyOfRange(big, Ethernet.HEADER, Ethernet.HEADER + 40));
    assertThat(sw.counters().ports().get("vm6").dropped(DropReason.TOO_BIG)).isEqualTo(1);
  }

  @Test
  void answeringTooBigAllocatesNothing() {
    byte[] big = ping4(MTU + 200);
    VirtualSwitch quiet =
        new VirtualSwitch(
            VirtualSwitchTest.table(),
            new SwitchOutput() {
              @Override
              public void toPort(String portId, byte[] b, int off, int len) {}

              @Override
              public void toUnderlay(int pa, byte[] b, int off, int len) {}
            },
            LeaseAuthority.TABLE_ONLY,
            System::nanoTime);
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    for (int i = 0; i < 20_000; i++) {
      quiet.fromPort("vm1", big, 0, big.length); // warm up: JIT, escape analysis
    }
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < 20_000; i++) {
      quiet.fromPort("vm1", big, 0, big.length);
    }
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    assertThat(allocated).as("bytes allocated for 20,000 answers").isLessThan(4096);
  }
}
