package io.weft.diagnostics.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.diagnostics.FindingCategory;
import io.weft.diagnostics.reconciliation.ScopeInputs.Allocation;
import io.weft.diagnostics.reconciliation.ScopeInputs.Host;
import io.weft.diagnostics.reconciliation.ScopeInputs.Observation;
import io.weft.diagnostics.reconciliation.ScopeInputs.Vnic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Each reconciliation rule on hand-made rows of one scope. */
class ScopeEvaluatorTest {

  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  static final UUID POOL = UUID.randomUUID();
  static final UUID HOST = UUID.randomUUID();
  final ScopeEvaluator evaluator = new ScopeEvaluator(Duration.ofHours(24), Duration.ofMinutes(15));

  @Test
  void anAllocationWhoseVnicIsGoneIsReclaimableAndReleasedOnlyWhileNotSeen() {
    Allocation a = alloc("10.0.0.5", "vnic:v1", NOW.minusSeconds(60));
    List<Drift> unseen = evaluator.vmNetwork(List.of(a), List.of(), List.of(), NOW);
    assertThat(unseen)
        .singleElement()
        .satisfies(d -> {
          assertThat(d.category()).isEqualTo(FindingCategory.RECLAIMABLE);
          assertThat(d.fix()).isEqualTo(new Drift.ReleaseAllocation(POOL, "10.0.0.5", "vnic:v1"));
        });

    List<Drift> inUse =
        evaluator.vmNetwork(
            List.of(a),
            List.of(),
            List.of(obs("v9", "10.0.0.5", "SOURCE", NOW.minusSeconds(5))),
            NOW);
    Drift reclaimable =
        inUse.stream()
            .filter(d -> d.category() == FindingCategory.RECLAIMABLE)
            .findFirst()
            .orElseThrow();
    assertThat(reclaimable.fix()).as("still seen in use: never released").isNull();
    assertThat(reclaimable.evidence()).contains("still seen in use").contains("port v9");
  }

  @Test
  void anUnplacedVnicNothingSawForTheGracePeriodIsReclaimableWithoutAFix() {
    Allocation old = alloc("10.0.0.6", "vnic:v1", NOW.minus(Duration.ofDays(3)));
    Vnic unplaced = new Vnic("v1", "02:57:46:00:00:01", "10.0.0.6", "STATIC", null);
    assertThat(evaluator.vmNetwork(List.of(old), List.of(unplaced), List.of(), NOW))
        .singleElement()
        .satisfies(d -> {
          assertThat(d.category()).isEqualTo(FindingCategory.RECLAIMABLE);
          assertThat(d.fix()).isNull();
        });
    Vnic placed = new Vnic("v1", "02:57:46:00:00:01", "10.0.0.6", "STATIC", HOST);
    assertThat(evaluator.vmNetwork(List.of(old), List.of(placed), List.of(), NOW)).isEmpty();
  }

  @Test
  void seenOnAnotherVnicIsMismatchedAndOnTwoIsDuplicate() {
    Allocation a = alloc("10.0.0.7", "vnic:v1", NOW);
    List<Vnic> vnics =
        List.of(
            new Vnic("v1", "02:57:46:00:00:01", "10.0.0.7", "STATIC", HOST),
            new Vnic("v2", "02:57:46:00:00:02", "10.0.0.8", "STATIC", HOST));
    List<Drift> drifts =
        evaluator.vmNetwork(
            List.of(a, alloc("10.0.0.8", "vnic:v2", NOW)),
            vnics,
            List.of(obs("v1", "10.0.0.7", "SOURCE", NOW), obs("v2", "10.0.0.7", "SPOOF", NOW)),
            NOW);
    assertThat(drifts)
        .extracting(Drift::category)
        .containsExactlyInAnyOrder(FindingCategory.MISMATCHED, FindingCategory.DUPLICATE);
    assertThat(drifts).allSatisfy(d -> assertThat(d.fix()).isNull());
  }

  @Test
  void twoVnicsConfiguredWithOneAddressAreDuplicate() {
    List<Vnic> vnics =
        List.of(
            new Vnic("v1", "02:57:46:00:00:01", "10.0.0.9", "STATIC", HOST),
            new Vnic("v2", "02:57:46:00:00:02", "10.0.0.9", "STATIC", HOST));
    assertThat(
            evaluator.vmNetwork(List.of(alloc("10.0.0.9", "vnic:v1", NOW)), vnics, List.of(), NOW))
        .extracting(Drift::category)
        .contains(FindingCategory.DUPLICATE);
  }

  @Test
  void seenButAllocatedToNobodyIsUnknownAndNeverFixed() {
    assertThat(
            evaluator.vmNetwork(
                List.of(), List.of(), List.of(obs("v1", "10.0.0.200", "ARP", NOW)), NOW))
        .singleElement()
        .satisfies(d -> {
          assertThat(d.category()).isEqualTo(FindingCategory.UNKNOWN);
          assertThat(d.fix()).isNull();
        });
  }

  @Test
  void aSightingOlderThanTheFreshnessWindowNoLongerCounts() {
    Observation old = obs("gone-port", "10.0.0.201", "SOURCE", NOW.minus(Duration.ofHours(1)));
    assertThat(evaluator.vmNetwork(List.of(), List.of(), List.of(old), NOW)).isEmpty();
  }

  @Test
  void anExpiredLeaseIsStaleAndSaysWhetherTheAddressIsStillInUse() {
    Allocation a = alloc("10.0.0.10", "vnic:v1", NOW.minus(Duration.ofDays(2)));
    Vnic dhcp = new Vnic("v1", "02:57:46:00:00:01", "10.0.0.10", "DHCP", HOST);
    Observation lease =
        new Observation(
            HOST,
            "v1",
            null,
            "10.0.0.10",
            "LEASE",
            NOW.minus(Duration.ofDays(2)),
            NOW.minus(Duration.ofHours(3)),
            NOW.minus(Duration.ofHours(1)));
    assertThat(evaluator.vmNetwork(List.of(a), List.of(dhcp), List.of(lease), NOW))
        .singleElement()
        .satisfies(d -> {
          assertThat(d.category()).isEqualTo(FindingCategory.STALE_LEASE);
          assertThat(d.fix()).isEqualTo(new Drift.ReclaimLease("v1", "10.0.0.10"));
        });
    List<Drift> used =
        evaluator.vmNetwork(
            List.of(a), List.of(dhcp), List.of(lease, obs("v1", "10.0.0.10", "SOURCE", NOW)), NOW);
    assertThat(used.getFirst().evidence()).contains("still seen in use");
    assertThat(used.getFirst().fix()).as("in use: reported, never reclaimed").isNull();
    Observation fresh =
        new Observation(HOST, "v1", null, "10.0.0.10", "LEASE", NOW, NOW, NOW.plusSeconds(600));
    assertThat(evaluator.vmNetwork(List.of(a), List.of(dhcp), List.of(fresh), NOW)).isEmpty();
  }

  @Test
  void aConfiguredAddressAHostHasNotAppliedIsUnprogrammed() {
    Allocation a = alloc("10.0.0.11", "vnic:v1", NOW);
    Vnic placed = new Vnic("v1", "02:57:46:00:00:01", "10.0.0.11", "STATIC", HOST);
    ScopeInputs.Unapplied missing =
        new ScopeInputs.Unapplied(
            HOST, "rack-7", "10.0.0.11", "192.168.1.7", 4, 6, NOW.minusSeconds(90));
    List<Drift> drifts =
        evaluator.vmNetwork(
            List.of(a), List.of(placed), List.of(), Map.of("10.0.0.11", List.of(missing)), NOW);
    assertThat(drifts)
        .singleElement()
        .satisfies(d -> {
          assertThat(d.category()).isEqualTo(FindingCategory.UNPROGRAMMED);
          assertThat(d.evidence())
              .contains("host rack-7")
              .contains("CA 10.0.0.11 -> PA 192.168.1.7")
              .contains("generation 4 of 6");
          assertThat(d.fix()).as("the host has to catch up; nothing to fix here").isNull();
        });
    // Not configured on its vNIC (or the vNIC is gone): another finding, not this one.
    Vnic other = new Vnic("v1", "02:57:46:00:00:01", "10.0.0.12", "STATIC", HOST);
    assertThat(
            evaluator.vmNetwork(
                List.of(a), List.of(other), List.of(), Map.of("10.0.0.11", List.of(missing)), NOW))
        .extracting(Drift::category)
        .doesNotContain(FindingCategory.UNPROGRAMMED);
  }

  @Test
  void aHostReportingAnotherPaIsPaDriftAndAGoneHostsPaIsReclaimable() {
    UUID h1 = UUID.randomUUID();
    List<Drift> drifts =
        evaluator.logicalNetwork(
            List.of(
                alloc("192.168.1.1", "host:" + h1, NOW),
                alloc("192.168.1.2", "host:" + UUID.randomUUID(), NOW)),
            List.of(new Host(h1, "h1", "192.168.1.1", "192.168.1.77", NOW)));
    assertThat(drifts)
        .extracting(Drift::category)
        .containsExactlyInAnyOrder(FindingCategory.PA_DRIFT, FindingCategory.RECLAIMABLE);
    assertThat(drifts).allSatisfy(d -> assertThat(d.fix()).isNull());
    assertThat(
            evaluator.logicalNetwork(
                List.of(alloc("192.168.1.1", "host:" + h1, NOW)),
                List.of(new Host(h1, "h1", "192.168.1.1", "192.168.1.1", NOW))))
        .isEmpty();
  }

  @Test
  void evidenceKeysIgnoreTimesSoAnIgnoredFindingReopensOnlyOnNewEvidence() {
    Drift first =
        evaluator
            .vmNetwork(List.of(), List.of(), List.of(obs("v1", "10.0.0.200", "ARP", NOW)), NOW)
            .getFirst();
    Drift later =
        evaluator
            .vmNetwork(
                List.of(),
                List.of(),
                List.of(obs("v1", "10.0.0.200", "ARP", NOW.plusSeconds(60))),
                NOW)
            .getFirst();
    Drift moreEvidence =
        evaluator
            .vmNetwork(
                List.of(),
                List.of(),
                List.of(obs("v1", "10.0.0.200", "ARP", NOW), obs("v2", "10.0.0.200", "ARP", NOW)),
                NOW)
            .getFirst();
    assertThat(later.evidenceKey()).isEqualTo(first.evidenceKey());
    assertThat(later.evidence()).isNotEqualTo(first.evidence());
    assertThat(moreEvidence.evidenceKey()).isNotEqualTo(first.evidenceKey());
  }

  private static Allocation alloc(String address, String owner, Instant at) {
    return new Allocation(POOL, address, owner, at);
  }

  private static Observation obs(String port, String address, String kind, Instant last) {
    return new Observation(
        HOST, port, "02:00:00:00:00:09", address, kind, last.minusSeconds(30), last, null);
  }
}
