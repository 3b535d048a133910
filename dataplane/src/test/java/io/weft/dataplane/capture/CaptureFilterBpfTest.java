package io.weft.dataplane.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.dataplane.codec.Arp;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.codec.Ipv4;
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
 * filter keeps: both are run over the same generated frames (NVGRE and VXLAN with several VSIDs,
 * inner ICMP, UDP and ARP, addresses on either side) for every combination of filter fields, the
 * BPF program by libpcap's own interpreter. Needs libpcap (not root).
 */
class CaptureFilterBpfTest {

  private static final long SEED = Long.getLong("weft.seed", System.nanoTime());
  private static final int[] VSIDS = {0, 5001, 5002};
  private static final String[] ADDRESSES = {null, "10.0.0.7", "10.0.0.9"};
  private static final int[] PROTOCOLS = {-1, 1, 17, 6};

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
    List<byte[]> packets = underlayPackets(new Random(SEED), 300);
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
    for (int i = 0; i < 200; i++) {
      frames.add(innerFrame(random));
    }
    for (CaptureFilter f : filters()) {
      if (f.vsid() != 0) {
        continue; // a port has one VSID: the field is not used there
      }
      if (f.bpfForPort().isEmpty()) {
        assertThat(f.address() == 0 && f.protocol() < 0).as(f.toString()).isTrue();
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
      byte[] inner = innerFrame(new Random(SEED));
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

  private static List<CaptureFilter> filters() {
    List<CaptureFilter> all = new ArrayList<>();
    for (int vsid : VSIDS) {
      for (String a : ADDRESSES) {
        for (int p : PROTOCOLS) {
          all.add(new CaptureFilter(vsid, a == null ? 0 : IpAddress.parse(a).v4Bits(), p));
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

  /** ICMP, UDP, TCP-protocol or ARP, between two of 10.0.0.7/.8/.9. */
  private static byte[] innerFrame(Random random) {
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
