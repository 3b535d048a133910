-- Bounded packet captures (issue 12): the request, its state and, once the agent answered, the
-- pcap file itself, so every replica can serve the download. Size is capped by the request (at most
-- weft.diagnostics.capture.max-bytes); rows older than weft.diagnostics.capture.retention go.
-- state: RUNNING (the CAPTURE command is out), DONE (pcap stored), FAILED (error says why).
CREATE TABLE diag_capture (
    id              UUID PRIMARY KEY,
    tenant_id       UUID,
    requested_by    VARCHAR(200) NOT NULL,
    host_id         UUID NOT NULL,
    vnic_id         UUID,
    target          VARCHAR(200) NOT NULL,
    max_packets     INTEGER NOT NULL,
    max_seconds     INTEGER NOT NULL,
    max_bytes       INTEGER NOT NULL,
    filter_text     VARCHAR(200) NOT NULL,
    command_id      UUID,
    state           VARCHAR(16) NOT NULL,
    requested_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at     TIMESTAMP WITH TIME ZONE,
    packets         INTEGER,
    size_bytes      INTEGER,
    stopped_by      VARCHAR(16),
    error           VARCHAR(2000),
    pcap            BYTEA
);
CREATE INDEX diag_capture_host_state ON diag_capture (host_id, state);
CREATE INDEX diag_capture_requested ON diag_capture (requested_at);
