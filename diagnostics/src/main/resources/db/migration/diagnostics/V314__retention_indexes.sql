-- Retention (weft.diagnostics.retention.*, the diagnostics-retention job): each rule picks its
-- batch of expired rows by time, oldest first, and checks what still names a row before deleting
-- it (a check its probe, a probe or running capture its commands): indexes for both.
CREATE INDEX diag_probe_created ON diag_probe (created_at);
CREATE INDEX diag_probe_inject_command ON diag_probe (inject_command);
CREATE INDEX diag_probe_watch_command ON diag_probe (watch_command);
CREATE INDEX diag_connectivity_check_probe ON diag_connectivity_check (probe_id);
CREATE INDEX diag_capture_command ON diag_capture (command_id);
CREATE INDEX ix_diag_drop_record_reported ON diag_drop_record (reported_at);
