-- Retention of CLOSED reconciliation findings (weft.diagnostics.retention.closed-findings, the
-- diagnostics-retention job): its batch picks them by state and closing time, oldest first. The
-- security audit log's entries go by fabric_audit_at_id_ix (V220).
CREATE INDEX recon_finding_closed ON recon_finding (state, closed_at);
