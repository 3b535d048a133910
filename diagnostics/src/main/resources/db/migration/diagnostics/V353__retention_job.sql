-- The diagnostics retention runs as a Quartz job beside the reconciliation and the drift audit:
-- its guard row, so one replica runs each firing and operators can pause it; and the run history,
-- which it prunes too, by start time across jobs.
INSERT INTO recon_job_guard (job_name) VALUES ('diagnostics-retention');
CREATE INDEX recon_run_started_any_job ON recon_run (started_at);
