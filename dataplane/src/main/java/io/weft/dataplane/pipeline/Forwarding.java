package io.weft.dataplane.pipeline;

import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.ParsedFrame;
import io.weft.dataplane.pipeline.internal.CompiledTable;
import io.weft.dataplane.pipeline.internal.PortState;
import io.weft.dataplane.pipeline.internal.Underlay;
import io.weft.dataplane.table.IpAddress;

/**
 * Where a frame a vNIC was allowed to send goes: never flooded; "too big" told when it exceeds the
 * overlay MTU; else its destination MAC is looked up in the port's VSID (a local vNIC, or the PA of
 * the host that has it), and a frame for the gateway goes to the {@link DistributedRouter}.
 */
final class Forwarding {

  private final PacketVerdicts verdicts;
  private final Underlay underlay;
  private final LocalAnswers answers;
  private final DistributedRouter router;

  Forwarding(
      PacketVerdicts verdicts, Underlay underlay, LocalAnswers answers, DistributedRouter router) {
    this.verdicts = verdicts;
    this.underlay = underlay;
    this.answers = answers;
    this.router = router;
  }

  void forward(CompiledTable t, int p, PortState st, ParsedFrame f) {
    if (Ethernet.isMulticast(f.dstMac)) {
      verdicts.drop(st, DropReason.UNSUPPORTED, "broadcast/multicast is never flooded");
      return;
    }
    if (f.ipLength > t.overlayMtu) {
      answers.tooBig(t, p, st, f);
      return;
    }
    int subnet = t.portSubnet[p];
    int vsid = t.subnetVsid[subnet];
    if (f.dstMac != t.gatewayMac[subnet]) {
      int local = t.localPortByMac(vsid, f.dstMac);
      if (local >= 0) {
        verdicts.step(
            TraceStage.L2_LOOKUP, "VSID " + vsid + " MAC is local port " + t.ports[local].portId());
        verdicts.deliver(local, f.buffer, f.offset, f.length);
        return;
      }
      int r = t.recordByMac(vsid, f.dstMac);
      if (r < 0) {
        verdicts.drop(st, DropReason.NO_ROUTE, "no record for destination MAC in VSID " + vsid);
        return;
      }
      if (verdicts.tracing()) {
        verdicts.step(
            TraceStage.L2_LOOKUP, "VSID " + vsid + " MAC → PA " + IpAddress.v4(t.recordPa[r]));
      }
      int at = underlay.stage(f.buffer, f.offset, f.length);
      verdicts.encapsulate(t.recordPa[r], vsid, at, f.length);
      return;
    }
    router.route(t, p, st, f, vsid);
  }
}
