-- Table compiler and distribution (io.weft.fabric.tables). The fabric_* model tables stay the
-- source of truth; these hold the compiler's memory, each host's generation and change log, and
-- the make-before-break state of live migrations.

-- One row per host: the generation of its intended table and what its agent last reported beyond
-- fabric_host.applied_generation/applied_digest (counters and the last refusal).
CREATE TABLE fabric_table_host (
    host_id          UUID         NOT NULL PRIMARY KEY REFERENCES fabric_host (id) ON DELETE CASCADE,
    generation       BIGINT       NOT NULL,
    counters         VARCHAR(4000),
    last_rejection   VARCHAR(1000),
    reported_at      TIMESTAMP WITH TIME ZONE
);

-- The per-host change log: the delta that took the host from generation-1 to generation, and the
-- VM networks that joined the host with it (so a multi-entry catch-up knows what the agent had).
CREATE TABLE fabric_table_log (
    host_id      UUID          NOT NULL REFERENCES fabric_host (id) ON DELETE CASCADE,
    generation   BIGINT        NOT NULL,
    delta        TEXT          NOT NULL,
    joined       TEXT          NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fabric_table_log_pk PRIMARY KEY (host_id, generation)
);

-- The incremental compiler's memory: each placed vNIC as the hosts currently see it.
CREATE TABLE fabric_table_vnic (
    vnic_id        UUID         NOT NULL PRIMARY KEY,
    vm_id          UUID         NOT NULL,
    vm_network_id  UUID         NOT NULL,
    vsid           INT          NOT NULL,
    mac            VARCHAR(17)  NOT NULL,
    addressing     VARCHAR(8)   NOT NULL,
    address        VARCHAR(64),
    host_id        UUID         NOT NULL,
    host_pa        VARCHAR(64)  NOT NULL,
    extra_host_id  UUID,
    published_pa   VARCHAR(64)  NOT NULL
);
CREATE INDEX fabric_table_vnic_vm_ix ON fabric_table_vnic (vm_id);

-- Which hosts hold ports of which VM network (and how many): the network's span.
CREATE TABLE fabric_table_span (
    vm_network_id  UUID    NOT NULL,
    host_id        UUID    NOT NULL,
    ports          INT     NOT NULL,
    CONSTRAINT fabric_table_span_pk PRIMARY KEY (vm_network_id, host_id)
);
CREATE INDEX fabric_table_span_host_ix ON fabric_table_span (host_id);

-- Live migrations, one row each, readable by operators: the make-before-break timeline.
CREATE TABLE fabric_table_migration (
    id                   UUID         NOT NULL PRIMARY KEY,
    vm_id                UUID         NOT NULL,
    from_host            UUID         NOT NULL,
    to_host              UUID         NOT NULL,
    phase                VARCHAR(24)  NOT NULL,
    started_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    dest_generation      BIGINT,
    dest_applied_at      TIMESTAMP WITH TIME ZONE,
    switched_at          TIMESTAMP WITH TIME ZONE,
    peers                INT          NOT NULL DEFAULT 0,
    peers_applied_at     TIMESTAMP WITH TIME ZONE,
    source_generation    BIGINT,
    source_dropped_at    TIMESTAMP WITH TIME ZONE,
    source_applied_at    TIMESTAMP WITH TIME ZONE,
    stale_window_ms      BIGINT,
    note                 VARCHAR(500)
);
CREATE INDEX fabric_table_migration_started_ix ON fabric_table_migration (started_at);

-- Migrations still in flight (at most one per VM).
CREATE TABLE fabric_table_moving (
    vm_id          UUID         NOT NULL PRIMARY KEY,
    migration_id   UUID         NOT NULL,
    from_host      UUID         NOT NULL,
    to_host        UUID         NOT NULL,
    phase          VARCHAR(24)  NOT NULL
);

-- Per migration and peer: the generation that switched the peer's records, and when it applied.
CREATE TABLE fabric_table_migration_peer (
    migration_id   UUID     NOT NULL,
    host_id        UUID     NOT NULL,
    generation     BIGINT   NOT NULL,
    applied_at     TIMESTAMP WITH TIME ZONE,
    CONSTRAINT fabric_table_migration_peer_pk PRIMARY KEY (migration_id, host_id)
);

-- Databases that already hold hosts and VMs: seed the compiler's memory from the model.
INSERT INTO fabric_table_host (host_id, generation) SELECT id, 1 FROM fabric_host;

INSERT INTO fabric_table_vnic (vnic_id, vm_id, vm_network_id, vsid, mac, addressing, address,
                               host_id, host_pa, extra_host_id, published_pa)
SELECT n.id, n.vm_id, s.vm_network_id, s.vsid, n.mac, n.addressing, n.address, v.host_id, h.pa,
       NULL, h.pa
FROM fabric_vnic n
JOIN fabric_subnet s ON s.id = n.subnet_id
JOIN fabric_vm v ON v.id = n.vm_id
JOIN fabric_host h ON h.id = v.host_id;

INSERT INTO fabric_table_span (vm_network_id, host_id, ports)
SELECT vm_network_id, host_id, count(*) FROM fabric_table_vnic GROUP BY vm_network_id, host_id;
