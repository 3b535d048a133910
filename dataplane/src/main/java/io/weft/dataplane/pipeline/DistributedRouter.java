package io.weft.dataplane.pipeline;

import io.weft.dataplane.codec.Bytes;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.Ipv4;
import io.weft.dataplane.codec.Ipv6;
import io.weft.dataplane.codec.ParsedFrame;
import io.weft.dataplane.pipeline.internal.CompiledTable;
import io.weft.dataplane.pipeline.internal.PortState;
import io.weft.dataplane.pipeline.internal.Underlay;

/**
 * The gateway every host plays for its VMs: a packet sent to the gateway's MAC is routed to the
 * subnet of its VM network that holds the destination (never to another VM network), its MACs
 * rewritten and its TTL lowered, then delivered to the local vNIC or sent to the host that has it.
 */
final class DistributedRouter {

  private final PacketVerdicts verdicts;
  private final Underlay underlay;

  DistributedRouter(PacketVerdicts verdicts, Underlay underlay) {
    this.verdicts = verdicts;
    this.underlay = underlay;
  }

  /** Routes a frame from port {@code p} of VSID {@code vsid}. */
  void route(CompiledTable t, int p, PortState st, ParsedFrame f, int vsid) {
    boolean v6 = f.ipVersion == 6;
    int ds = t.subnetContaining(t.portDomain[p], v6, f.dstHi, f.dstLo);
    if (ds < 0) {
      verdicts.drop(
          st, DropReason.NO_ROUTE, "no subnet of this VM network holds " + FrameText.dst(f));
      return;
    }
    if (f.ttl <= 1) {
      verdicts.drop(st, DropReason.TTL_EXPIRED, "TTL/hop limit " + f.ttl);
      return;
    }
    int dvsid = t.subnetVsid[ds];
    int r = v6 ? t.recordByIp6(dvsid, f.dstHi, f.dstLo) : t.recordByIp4(dvsid, f.dstV4());
    if (r < 0) {
      verdicts.drop(
          st, DropReason.NO_ROUTE, "no record for " + FrameText.dst(f) + " in VSID " + dvsid);
      return;
    }
    if (verdicts.tracing()) {
      verdicts.step(
          TraceStage.ROUTE,
          "VSID "
              + vsid
              + " → "
              + dvsid
              + " ("
              + t.subnets[ds].prefix()
              + "), rewrite MACs, TTL-1");
    }
    int at = underlay.stage(f.buffer, f.offset, f.length);
    byte[] s = underlay.buffer;
    Bytes.put48(s, at + Ethernet.DST, t.recordMac[r]);
    Bytes.put48(s, at + Ethernet.SRC, t.gatewayMac[ds]);
    int l3 = at + (f.l3Offset - f.offset);
    if (v6) {
      Ipv6.setHopLimit(s, l3, f.ttl - 1);
    } else {
      Ipv4.decrementTtl(s, l3);
    }
    int local = t.localPortByMac(dvsid, t.recordMac[r]);
    if (local >= 0) {
      verdicts.deliver(local, s, at, f.length);
    } else {
      verdicts.encapsulate(t.recordPa[r], dvsid, at, f.length);
    }
  }
}
