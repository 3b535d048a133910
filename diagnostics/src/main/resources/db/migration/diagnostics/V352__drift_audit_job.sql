-- The table drift audit runs as a Quartz job beside the IPAM reconciliation (it was an in-process
-- schedule behind a PostgreSQL advisory lock): its guard row, so one replica runs each firing and
-- operators can pause it.
INSERT INTO recon_job_guard (job_name) VALUES ('table-drift-audit');
