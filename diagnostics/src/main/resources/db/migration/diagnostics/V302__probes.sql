-- Live probes (issue 12): one row per probe, so that any replica can answer "how did it go" from
-- the commands' results (diag_agent_command), and rate limits count across replicas.
CREATE TABLE diag_probe (
    id                  UUID PRIMARY KEY,
    tenant_id           UUID NOT NULL,
    requested_by        VARCHAR(200) NOT NULL,
    source_vnic         UUID NOT NULL,
    source_host         UUID,
    destination         VARCHAR(64) NOT NULL,
    destination_host    UUID,
    count_sent          INT NOT NULL,
    timeout_ms          INT NOT NULL,
    inject_command      UUID,
    watch_command       UUID,
    refusal             VARCHAR(1000),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX diag_probe_tenant_created ON diag_probe (tenant_id, created_at);
CREATE INDEX diag_probe_host_created ON diag_probe (source_host, created_at);
