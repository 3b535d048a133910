package io.weft.diagnostics.reconciliation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code weft.reconciliation.*}: the schedule and policy of IPAM reconciliation.
 *
 * @param schedule a Quartz cron expression; default every minute
 * @param gracePeriod how long an allocation may go unconfigured and unseen before it counts as
 *     reclaimable
 * @param dryRun find and report, but fix nothing (the findings say what a fix would do)
 * @param releaseDeletedVmAllocations fix: release allocations whose vNIC is gone
 * @param maxFixesPerRun at most this many deleted VMs' allocations released per run
 * @param reclaimExpiredLeases fix: reclaim expired DHCP leases nothing uses any more
 * @param maxLeasesPerRun at most this many leases reclaimed per run (Kea: max-reclaim-leases)
 * @param maxLeaseReclaimTime at most this long spent reclaiming leases per run (Kea:
 *     max-reclaim-time); what is left waits for the next run
 * @param observationRetention observations not seen again for this long are forgotten
 * @param observationFreshness a sighting counts as current (unknown, mismatched, duplicate) for
 *     this long after it was last seen
 */
@ConfigurationProperties("weft.reconciliation")
record ReconciliationProperties(
    @DefaultValue("0 * * * * ?") String schedule,
    @DefaultValue("24h") Duration gracePeriod,
    @DefaultValue("false") boolean dryRun,
    @DefaultValue("true") boolean releaseDeletedVmAllocations,
    @DefaultValue("100") int maxFixesPerRun,
    @DefaultValue("true") boolean reclaimExpiredLeases,
    @DefaultValue("100") int maxLeasesPerRun,
    @DefaultValue("250ms") Duration maxLeaseReclaimTime,
    @DefaultValue("7d") Duration observationRetention,
    @DefaultValue("15m") Duration observationFreshness) {}
