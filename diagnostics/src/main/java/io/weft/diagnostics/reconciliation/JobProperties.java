package io.weft.diagnostics.reconciliation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code weft.jobs.*}: how scheduled jobs run.
 *
 * @param store {@code auto} (clustered JDBC store on PostgreSQL, RAM store otherwise), {@code jdbc}
 *     or {@code memory}
 * @param schedulerName replicas sharing one database must share this name to form a cluster
 * @param clusterCheckinInterval how often a replica checks in; a replica silent for about this long
 *     has its running jobs recovered by another
 * @param staleAfter a job guard whose holder stopped heart-beating for this long is taken over
 */
@ConfigurationProperties("weft.jobs")
record JobProperties(
    @DefaultValue("auto") String store,
    @DefaultValue("weft") String schedulerName,
    @DefaultValue("7500ms") Duration clusterCheckinInterval,
    @DefaultValue("15s") Duration staleAfter) {}
