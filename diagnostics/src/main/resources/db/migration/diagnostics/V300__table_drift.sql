-- The latest drift audit per host (intended vs applied table), written by whichever replica ran the
-- audit (scheduled under a PostgreSQL advisory lock, or on demand) so that every replica shows the
-- same answer. detail holds the whole HostDrift as JSON, entries included.
CREATE TABLE diag_host_drift (
    host_id             UUID PRIMARY KEY,
    host_name           VARCHAR(200) NOT NULL,
    verdict             VARCHAR(20) NOT NULL,
    drifting            BOOLEAN NOT NULL,
    behind_since        TIMESTAMP WITH TIME ZONE,
    checked_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    detail              TEXT NOT NULL
);
