package io.weft.dataplane.pipeline.internal;

import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.FlowHash;
import io.weft.dataplane.codec.FrameParser;
import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.Nvgre;
import io.weft.dataplane.codec.ParsedFrame;
import io.weft.dataplane.codec.Udp;
import io.weft.dataplane.codec.Vxlan;
import io.weft.dataplane.pipeline.DropReason;
import io.weft.dataplane.pipeline.FrameTap;
import io.weft.dataplane.pipeline.SwitchOutput;

/**
 * Encapsulation and decapsulation against the provider network. Outgoing frames are staged in one
 * reusable buffer with headroom, so the outer headers are written in front of the inner frame
 * without a second copy.
 */
public final class Underlay {

  /** Room in front of a staged frame for the largest outer header (IPv4 + UDP + VXLAN = 36). */
  public static final int HEADROOM = 64;

  public final byte[] buffer = new byte[HEADROOM + 65_536];
  public long rxPackets;
  public long txPackets;
  public FrameTap tap;
  public String lastProblem = "";
  public int lastVsid;

  /** Whether the last {@link #decapsulate} parsed the inner frame (even if it then dropped it). */
  public boolean innerParsed;

  private final SwitchOutput output;
  private int ipId;

  public Underlay(SwitchOutput output) {
    this.output = output;
  }

  /** Copies a frame to the staging buffer; returns its offset there. */
  public int stage(byte[] b, int off, int len) {
    System.arraycopy(b, off, buffer, HEADROOM, len);
    return HEADROOM;
  }

  /** Wraps the staged frame at {@code at} and sends it to {@code pa}. */
  public void encapsulate(CompiledTable t, ParsedFrame inner, int pa, int vsid, int at, int len) {
    int hash = FlowHash.of(inner);
    int o;
    int total;
    if (t.vxlan) {
      o = at - Ipv4.MIN_HEADER - Udp.HEADER - Vxlan.HEADER;
      total = len + Ipv4.MIN_HEADER + Udp.HEADER + Vxlan.HEADER;
      Ipv4.writeHeader(buffer, o, total, ipId++, 64, Ipv4.PROTO_UDP, t.localPa, pa);
      // RFC 7348: the UDP checksum SHOULD be zero over IPv4.
      Udp.writeHeader(
          buffer,
          o + Ipv4.MIN_HEADER,
          Vxlan.sourcePort(hash),
          Udp.PORT_VXLAN,
          total - Ipv4.MIN_HEADER);
      Vxlan.write(buffer, o + Ipv4.MIN_HEADER + Udp.HEADER, vsid);
    } else {
      o = at - Ipv4.MIN_HEADER - Nvgre.HEADER;
      total = len + Ipv4.MIN_HEADER + Nvgre.HEADER;
      Ipv4.writeHeader(buffer, o, total, ipId++, 64, Ipv4.PROTO_GRE, t.localPa, pa);
      Nvgre.write(buffer, o + Ipv4.MIN_HEADER, vsid, FlowHash.flowId(hash));
    }
    txPackets++;
    if (tap != null) {
      tap.frame(buffer, o, total);
    }
    output.toUnderlay(pa, buffer, o, total);
  }

  /**
   * Checks an outer packet and parses its inner frame into {@code inner}; returns the local port to
   * deliver to, or {@code -(reason.ordinal() + 1)} with {@link #lastProblem} set.
   */
  public int decapsulate(CompiledTable t, ParsedFrame inner, byte[] b, int off, int len) {
    rxPackets++;
    lastVsid = 0;
    innerParsed = false;
    if (tap != null && b != null && off >= 0 && len >= 0 && off + len <= b.length) {
      tap.frame(b, off, len);
    }
    if (b == null || off < 0 || len < Ipv4.MIN_HEADER || off + len > b.length || off + len < 0) {
      return fail(DropReason.MALFORMED, "truncated outer IPv4 header");
    }
    int ihl = Ipv4.headerLength(b, off);
    int total = Ipv4.totalLength(b, off);
    if (Ipv4.version(b, off) != 4 || ihl < Ipv4.MIN_HEADER || total < ihl || total > len) {
      return fail(DropReason.MALFORMED, "bad outer IPv4 header");
    }
    if (Ipv4.dst(b, off) != t.localPa) {
      return fail(DropReason.NOT_LOCAL, "outer destination is not this host's PA");
    }
    if (Ipv4.isFragment(b, off)) {
      return fail(DropReason.UNSUPPORTED, "fragmented underlay packet");
    }
    int l4 = off + ihl;
    int l4Len = total - ihl;
    int vsid;
    int innerAt;
    int protocol = Ipv4.protocol(b, off);
    if (protocol == Ipv4.PROTO_GRE && Nvgre.valid(b, l4, l4Len)) {
      vsid = Nvgre.vsid(b, l4);
      innerAt = l4 + Nvgre.HEADER;
    } else if (protocol == Ipv4.PROTO_UDP
        && l4Len >= Udp.HEADER + Vxlan.HEADER
        && Udp.dstPort(b, l4) == Udp.PORT_VXLAN
        && Vxlan.valid(b, l4 + Udp.HEADER, l4Len - Udp.HEADER)) {
      vsid = Vxlan.vni(b, l4 + Udp.HEADER);
      innerAt = l4 + Udp.HEADER + Vxlan.HEADER;
    } else {
      return fail(DropReason.MALFORMED, "neither NVGRE nor VXLAN");
    }
    lastVsid = vsid;
    if (t.subnetOf(vsid) < 0) {
      return fail(DropReason.UNKNOWN_VSID, "VSID " + vsid + " has no subnet on this host");
    }
    int status = FrameParser.parse(b, innerAt, off + total - innerAt, inner);
    if (status != FrameParser.OK) {
      return fail(DropReason.MALFORMED, "inner frame: " + FrameParser.describe(status));
    }
    innerParsed = true;
    if (inner.length - Ethernet.HEADER > t.overlayMtu) {
      // A peer may send what it likes; a VM never gets a frame larger than its MTU.
      return fail(DropReason.TOO_BIG, "inner frame exceeds the overlay MTU " + t.overlayMtu);
    }
    int port = t.localPortByMac(vsid, inner.dstMac);
    if (port < 0) {
      return fail(DropReason.NOT_LOCAL, "inner destination is not a local vNIC of VSID " + vsid);
    }
    return port;
  }

  private int fail(DropReason reason, String why) {
    lastProblem = why;
    return -(reason.ordinal() + 1);
  }
}
