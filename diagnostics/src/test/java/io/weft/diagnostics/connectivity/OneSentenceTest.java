package io.weft.diagnostics.connectivity;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.diagnostics.AppliedComparison;
import io.weft.diagnostics.AppliedComparison.HostAgreement;
import io.weft.diagnostics.Blocker;
import io.weft.diagnostics.ConnectivityAnswer.Hop;
import io.weft.diagnostics.ConnectivityAnswer.HopState;
import io.weft.diagnostics.PathStep;
import io.weft.diagnostics.PathStep.Direction;
import io.weft.diagnostics.ProbeAnswer;
import io.weft.diagnostics.TraceAnswer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of the three results speaks in the one sentence, and the path read from them. */
class OneSentenceTest {

  private static final Instant T0 = Instant.parse("2026-12-04T18:00:00Z");

  private static TraceAnswer trace(boolean reachable, String summary, Blocker... blockers) {
    List<PathStep> steps =
        List.of(
            new PathStep(Direction.FORWARD, "host-1", "ENCAPSULATE", "to PA", "record", false),
            new PathStep(Direction.FORWARD, "host-3", "DELIVER", "to db", "port", false),
            new PathStep(Direction.RETURN, "host-3", "ENCAPSULATE", "back", "record", false),
            new PathStep(Direction.RETURN, "host-1", "DELIVER", "to web", "port", false));
    return new TraceAnswer(
        summary,
        reachable,
        "INTENDED",
        "VM web (10.0.1.5)",
        "VM db (10.0.1.7)",
        "ICMP echo, 84 bytes",
        steps,
        List.of(blockers),
        List.of());
  }

  private static ProbeAnswer probe(
      String summary, int sent, List<Double> rtts, ProbeAnswer.Hop... hops) {
    return new ProbeAnswer(
        "p",
        ProbeAnswer.State.DONE,
        summary,
        !rtts.isEmpty(),
        "VM web (10.0.1.5)",
        "10.0.1.7",
        sent,
        rtts.size(),
        rtts,
        List.of(hops),
        List.of(),
        List.of(),
        T0);
  }

  private static ProbeAnswer.Hop hop(int ms, String host, String dir, String stage, boolean drop) {
    return new ProbeAnswer.Hop(host, T0.plusMillis(ms), dir, stage, "detail " + stage, drop);
  }

  private static AppliedComparison agreeing() {
    return new AppliedComparison(true, "The hosts on the path apply …", List.of(), null, null);
  }

  @Test
  void aWorkingPathGivesTheRoundTripAndEveryHopIsOkWithItsTimes() {
    TraceAnswer intended = trace(true, "Reachable: ICMP echo from VM web reaches VM db.");
    ProbeAnswer live =
        probe(
            "Reply received",
            1,
            List.of(0.42),
            hop(0, "host-1", "REQUEST", "ENCAPSULATE", false),
            hop(1, "host-3", "REQUEST", "DELIVER", false),
            hop(2, "host-3", "REPLY", "ENCAPSULATE", false),
            hop(3, "host-1", "REPLY", "DELIVER", false));
    assertThat(OneSentence.of(intended, agreeing(), live, true))
        .isEqualTo(
            "Works: 10.0.1.7 answered the live probe in 0.42 ms, and the traces over the intended"
                + " and the applied tables go there and back.");
    assertThat(OneSentence.works(intended, agreeing(), live)).isTrue();
    List<Hop> path = PathHops.of(intended, agreeing(), live);
    assertThat(path)
        .extracting(Hop::name)
        .containsExactly("VM web (10.0.1.5)", "host-1", "host-3", "VM db (10.0.1.7)");
    assertThat(path).extracting(Hop::state).containsOnly(HopState.OK);
    assertThat(path.get(2).requestAt()).isEqualTo(T0.plusMillis(1));
    assertThat(path.get(2).replyAt()).isEqualTo(T0.plusMillis(2));
  }

  @Test
  void aHostBehindTheFabricIsNamedOnceWithTheLiveDrop() {
    TraceAnswer intended =
        trace(
            false,
            "Reachable on the fabric's intended tables, but host-3 has not applied generation 812.",
            new Blocker(
                "host-3",
                "host-3 has not applied generation 812 (it forwards with 810, 2 behind the fabric)",
                "wait",
                true));
    ProbeAnswer live =
        probe(
            "Dropped on host-3 (request): NO_LOOKUP_RECORD no lookup record for 10.0.1.7 in VSID"
                + " 5001; host-3 is 2 table generations behind the fabric.",
            1,
            List.of(),
            hop(0, "host-1", "REQUEST", "ENCAPSULATE", false),
            hop(1, "host-3", "REQUEST", "DROP", true));
    String sentence = OneSentence.of(intended, agreeing(), live, true);
    assertThat(sentence)
        .isEqualTo(
            "Dropped on host-3 (request): NO_LOOKUP_RECORD no lookup record for 10.0.1.7 in VSID"
                + " 5001; host-3 is 2 table generations behind the fabric.");
    List<Hop> path = PathHops.of(intended, agreeing(), live);
    assertThat(path)
        .extracting(Hop::state)
        .containsExactly(HopState.OK, HopState.OK, HopState.DROPPED, HopState.NOT_REACHED);
  }

  @Test
  void aHostApplyingOtherEntriesIsTheWhyOfTheLiveDrop() {
    TraceAnswer intended = trace(true, "Reachable: ICMP echo from VM web reaches VM db.");
    AppliedComparison differs =
        new AppliedComparison(
            false,
            "Intended and applied disagree on the source host: …",
            List.of(
                new HostAgreement(
                    "the source host", "DIFFERS", "applies other entries for this VM network")),
            null,
            null);
    ProbeAnswer live =
        probe(
            "Dropped on the source host: the VM's ARP for 10.0.1.7 is not answered there: its"
                + " table has no lookup record for 10.0.1.7.",
            0,
            List.of());
    assertThat(OneSentence.of(intended, differs, live, true))
        .isEqualTo(
            "Dropped on the source host: the VM's ARP for 10.0.1.7 is not answered there: its"
                + " table has no lookup record for 10.0.1.7; the source host applies other"
                + " entries for this VM network.");
  }

  @Test
  void aBlockerInTheIntendedTablesIsTheCauseWhateverTheProbeSaw() {
    TraceAnswer intended =
        trace(
            false,
            "Dropped on the source host: the destination VM db is stopped (PENDING: on no host).",
            new Blocker("VM db", "dropped on the source host: …", "start it", false));
    ProbeAnswer live = probe("No reply within 2000 ms.", 1, List.of());
    assertThat(OneSentence.of(intended, agreeing(), live, true))
        .isEqualTo(
            "Dropped on the source host: the destination VM db is stopped (PENDING: on no host);"
                + " the live probe got no reply either.");
    assertThat(OneSentence.works(intended, agreeing(), live)).isFalse();
  }

  @Test
  void tenantsGetTheSameSentenceInTheirWords() {
    TraceAnswer intended =
        trace(
            false,
            "Reachable on the fabric's intended tables, but the destination host has not applied"
                + " your latest change yet.",
            new Blocker(
                "the destination host",
                "the destination host has not applied your latest change yet",
                "wait",
                true));
    ProbeAnswer live =
        probe(
            "Dropped on destination host (request): no lookup record for 10.0.1.7; that host has"
                + " not applied your latest change yet.",
            1,
            List.of());
    assertThat(OneSentence.of(intended, agreeing(), live, true))
        .isEqualTo(
            "Dropped on destination host (request): no lookup record for 10.0.1.7; that host has"
                + " not applied your latest change yet.");
  }
}
