-- The one answer (issue 12): a check is a live probe (diag_probe) plus the two traces taken when it
-- was asked, kept so that any replica can finish the answer once the probe is done. A check an
-- operator asked holds host names and PAs (operator_view): its tenant may not read it.
CREATE TABLE diag_connectivity_check (
    id              UUID PRIMARY KEY,
    tenant_id       UUID NOT NULL,
    requested_by    VARCHAR(200) NOT NULL,
    probe_id        UUID NOT NULL,
    icmp            BOOLEAN NOT NULL,
    operator_view   BOOLEAN NOT NULL,
    trace_json      TEXT NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX diag_connectivity_check_created ON diag_connectivity_check (created_at);
