package io.weft.dataplane.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.dataplane.codec.Arp;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.Ipv6;
import io.weft.dataplane.codec.Nvgre;
import io.weft.dataplane.codec.Udp;
import io.weft.dataplane.codec.Vxlan;
import io.weft.dataplane.table.IpAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * The filter a Linux host compiles to BPF for the kernel keeps exactly the packets the switch's own
 * filter keeps: both are run over the same generated frames (NVGRE and VXLAN with several VSIDs;
 * inner IPv4 ICMP, UDP, TCP and ARP, inner IPv6 ICMPv6, UDP, TCP, neighbour solicitations and
 * fragments; addresses on either side, IPv6 ones differing from the filter's in one 32-bit word
 * each) for every combination of filter fields, IPv4 and IPv6 addresses included, the BPF program
 * by libpcap's own interpreter. Needs libpcap (not root).
 */
class CaptureFilterBpfTest {

  private static final long SEED = Long.getLong("weft.seed", System.nanoTime());
  private static final int[] VSIDS = {0, 5001, 5002};
  private static final String[] ADDRESSES = {null, "10.0.0.7", "10.0.0.9", "fd00::7", "fd00::9"};
  private static final int[] PROTOCOLS = {-1, 1, 17, 6, 58, 44};

  /**
   * IPv6 hosts of the generated frames: the filter's two, and three that differ from fd00::7 in the
   * first, second and third 32-bit word only (a BPF word compared wrongly keeps one of them).
   */
  private static final String[] V6_HOSTS = {
    "fd00::7", "fd00::9", "fd01::7", "fd00:0:0:1::7", "fd00::1:0:0:7"
  };

  @BeforeAll
  static void libpcap() {
    String reason = null;
    try {
      Pcaps.libVersion();
    } catch (LinkageError | RuntimeException e) {
      reason = "libpcap is not installed (apt-get install libpcap0.8): " + e;
      System.out.println("SKIPPED (libpcap): " + reason);
    }
    assumeTrue(reason == null, reason);
  }

  @Test
  void theKernelsBpfFilterOnTheUnderlayKeepsWhatTheSwitchsFilterKeeps() throws Exception {
    System.out.println("CaptureFilterBpfTest seed " + SEED + " (-Dweft.seed= to repeat)");
    List<byte[]> packets = underlayPackets(new Random(SEED), 500);
    int compared = 0;
    for (CaptureFilter f : filters()) {
      BpfProgram bpf = compile(f.bpfForUnderlay());
      try {
        for (byte[] ip : packets) {
          byte[] frame = ethernet(ip);
          assertThat(bpf.applyFilter(frame))
              .as("filter %s, BPF '%s', packet %s", f, f.bpfForUnderlay(), hex(ip))
              .isEqualTo(f.matchesUnderlay(ip, 0, ip.length));
          compared++;
        }
      } finally {
        bpf.free();
      }
    }
    assertThat(compared).isEqualTo(filters().size() * packets.size());
  }

  @Test
  void theKernelsBpfFilterOnATapKeepsWhatTheSwitchsFilterKeeps() throws Exception {
    Random random = new Random(SEED);
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      frames.add(innerFrame(random));
    }
    for (CaptureFilter f : filters()) {
      if (f.vsid() != 0) {
        continue; // a port has one VSID: the field is not used there
      }
      if (f.bpfForPort().isEmpty()) {
        assertThat(f.address() == null && f.protocol() < 0).as(f.toString()).isTrue();
        continue; // no filter: libpcap keeps everything, as the switch does
      }
      BpfProgram bpf = compile(f.bpfForPort());
      try {
        for (byte[] frame : frames) {
          assertThat(bpf.applyFilter(frame))
              .as("filter %s, BPF '%s', frame %s", f, f.bpfForPort(), hex(frame))
              .isEqualTo(f.matchesEthernet(frame, 0, frame.length));
        }
      } finally {
        bpf.free();
      }
    }
  }

  @Test
  void withoutFieldsTheUnderlayFilterKeepsEncapsulatedTrafficOnly() throws Exception {
    BpfProgram bpf = compile(CaptureFilter.ALL.bpfForUnderlay());
    try {
      byte[] inner = innerFrameV4(new Random(SEED));
      assertThat(bpf.applyFilter(ethernet(nvgre(5001, inner)))).isTrue();
      assertThat(bpf.applyFilter(ethernet(vxlan(5001, inner)))).isTrue();
      byte[] https = new byte[200];
      int len = FrameWriter.udpV4(https, 0, 2L, 4L, 0x0A000001, 0x0A000002, 5000, 443, 20);
      assertThat(bpf.applyFilter(Arrays.copyOf(https, len)))
          .as("the host's other traffic on the underlay interface")
          .isFalse();
    } finally {
      bpf.free();
    }
  }

  @Test
  void anIpv6AddressKeepsTheInnerIpv6PacketsFromOrToItAndNothingElse() throws Exception {
    IpAddress me = IpAddress.parse("fd00::7");
    CaptureFilter f = new CaptureFilter(5001, me, 58);
    byte[] b = new byte[200];
    IpAddress other = IpAddress.parse("fd00::1:0:0:7");
    int len =
        FrameWriter.icmpEchoV6(
            b, 0, 2L, 4L, other.hi(), other.lo(), me.hi(), me.lo(), 128, 1, 1, 8);
    byte[] toMe = Arrays.copyOf(b, len);
    len =
        FrameWriter.icmpEchoV6(
            b, 0, 2L, 4L, other.hi(), other.lo(), other.hi(), other.lo(), 128, 1, 1, 8);
    byte[] notMe = Arrays.copyOf(b, len);
    byte[] v4 =
        Arrays.copyOf(b, FrameWriter.icmpEchoV4(b, 0, 2L, 4L, 0x0A000007, 0x0A000007, 8, 1, 1, 8));
    BpfProgram underlay = compile(f.bpfForUnderlay());
    BpfProgram port = compile(f.bpfForPort());
    try {
      for (byte[] packet : List.of(nvgre(5001, toMe), vxlan(5001, toMe))) {
        assertThat(f.matchesUnderlay(packet, 0, packet.length)).isTrue();
        assertThat(underlay.applyFilter(ethernet(packet))).isTrue();
      }
      for (byte[] packet :
          List.of(nvgre(5002, toMe), vxlan(5001, notMe), nvgre(5001, notMe), nvgre(5001, v4))) {
        assertThat(f.matchesUnderlay(packet, 0, packet.length)).isFalse();
        assertThat(underlay.applyFilter(ethernet(packet))).isFalse();
      }
      assertThat(f.matchesEthernet(toMe, 0, toMe.length)).isTrue();
      assertThat(port.applyFilter(toMe)).isTrue();
      assertThat(f.matchesEthernet(notMe, 0, notMe.length)).isFalse();
      assertThat(port.applyFilter(notMe)).isFalse();
    } finally {
      underlay.free();
      port.free();
    }
  }

  private static List<CaptureFilter> filters() {
    List<CaptureFilter> all = new ArrayList<>();
    for (int vsid : VSIDS) {
      for (String a : ADDRESSES) {
        for (int p : PROTOCOLS) {
          all.add(new CaptureFilter(vsid, a == null ? null : IpAddress.parse(a), p));
        }
      }
    }
    return all;
  }

  private static BpfProgram compile(String expression) throws Exception {
    return Pcaps.compileFilter(
        65_535,
        DataLinkType.EN10MB,
        expression,
        BpfCompileMode.OPTIMIZE,
        (Inet4Address) InetAddress.getByName("255.255.255.255"));
  }

  private static List<byte[]> underlayPackets(Random random, int n) {
    List<byte[]> packets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] inner = innerFrame(random);
      int vsid = 5001 + random.nextInt(2);
      packets.add(random.nextBoolean() ? nvgre(vsid, inner) : vxlan(vsid, inner));
    }
    return packets;
  }

  /** Half IPv4 (see {@link #innerFrameV4}), half IPv6 (see {@link #innerFrameV6}). */
  private static byte[] innerFrame(Random random) {
    return random.nextBoolean() ? innerFrameV4(random) : innerFrameV6(random);
  }

  /**
   * ICMPv6 echo, UDP, TCP-protocol, a neighbour solicitation or a UDP fragment (next header 44, the
   * fragment header's next header 17) between two of {@link #V6_HOSTS}.
   */
  private static byte[] innerFrameV6(Random random) {
    IpAddress src = IpAddress.parse(V6_HOSTS[random.nextInt(V6_HOSTS.length)]);
    IpAddress dst = IpAddress.parse(V6_HOSTS[random.nextInt(V6_HOSTS.length)]);
    byte[] b = new byte[200];
    int ip = Ethernet.HEADER;
    int kind = random.nextInt(5);
    if (kind == 3) {
      return Arrays.copyOf(
          b, FrameWriter.neighborSolicitation(b, 0, 4L, src.hi(), src.lo(), dst.hi(), dst.lo()));
    }
    int len =
        FrameWriter.icmpEchoV6(b, 0, 2L, 4L, src.hi(), src.lo(), dst.hi(), dst.lo(), 128, 1, 1, 24);
    switch (kind) {
      case 1 -> b[ip + 6] = (byte) Ipv4.PROTO_UDP; // only the next header is filtered on
      case 2 -> b[ip + 6] = (byte) Ipv4.PROTO_TCP;
      case 4 -> {
        b[ip + 6] = (byte) Ipv6.NEXT_FRAGMENT;
        b[ip + Ipv6.HEADER] = (byte) Ipv4.PROTO_UDP;
      }
      default -> {}
    }
    return Arrays.copyOf(b, len);
  }

  /** ICMP, UDP, TCP-protocol or ARP, between two of 10.0.0.7/.8/.9. */
  private static byte[] innerFrameV4(Random random) {
    String[] hosts = {"10.0.0.7", "10.0.0.8", "10.0.0.9"};
    int src = IpAddress.parse(hosts[random.nextInt(3)]).v4Bits();
    int dst = IpAddress.parse(hosts[random.nextInt(3)]).v4Bits();
    byte[] b = new byte[200];
    int len =
        switch (random.nextInt(4)) {
          case 0 -> FrameWriter.icmpEchoV4(b, 0, 2L, 4L, src, dst, 8, 1, 1, 16);
          case 1 -> FrameWriter.udpV4(b, 0, 2L, 4L, src, dst, 1000, 53, 12);
          case 2 -> {
            int l = FrameWriter.udpV4(b, 0, 2L, 4L, src, dst, 1000, 80, 20);
            b[Ethernet.HEADER + 9] = (byte) Ipv4.PROTO_TCP; // only the protocol is filtered on
            yield l;
          }
          default -> FrameWriter.arp(b, 0, Ethernet.BROADCAST, Arp.OP_REQUEST, 4L, src, 0, dst);
        };
    return Arrays.copyOf(b, len);
  }

  private static byte[] nvgre(int vsid, byte[] inner) {
    byte[] p = new byte[Ipv4.MIN_HEADER + Nvgre.HEADER + inner.length];
    Ipv4.writeHeader(p, 0, p.length, 1, 64, Ipv4.PROTO_GRE, 0xC0A84D01, 0xC0A84D02);
    Nvgre.write(p, Ipv4.MIN_HEADER, vsid, 7);
    System.arraycopy(inner, 0, p, Ipv4.MIN_HEADER + Nvgre.HEADER, inner.length);
    return p;
  }

  private static byte[] vxlan(int vni, byte[] inner) {
    int udp = Ipv4.MIN_HEADER;
    byte[] p = new byte[udp + Udp.HEADER + Vxlan.HEADER + inner.length];
    Ipv4.writeHeader(p, 0, p.length, 1, 64, Ipv4.PROTO_UDP, 0xC0A84D01, 0xC0A84D02);
    Udp.writeHeader(p, udp, 49152, Udp.PORT_VXLAN, p.length - udp);
    Vxlan.write(p, udp + Udp.HEADER, vni);
    System.arraycopy(inner, 0, p, udp + Udp.HEADER + Vxlan.HEADER, inner.length);
    return p;
  }

  /** The outer IPv4 packet as it is seen on the underlay interface. */
  private static byte[] ethernet(byte[] ip) {
    byte[] f = new byte[Ethernet.HEADER + ip.length];
    Ethernet.writeHeader(f, 0, 0x02_00_00_00_00_02L, 0x02_00_00_00_00_01L, Ethernet.TYPE_IPV4);
    System.arraycopy(ip, 0, f, Ethernet.HEADER, ip.length);
    return f;
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(b.length, 80); i++) {
      s.append(String.format("%02x", b[i]));
    }
    return s.toString();
  }
}
