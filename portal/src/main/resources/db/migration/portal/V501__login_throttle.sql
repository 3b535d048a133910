-- Failed sign-ins per (user name, client address), shared by every replica so that a guesser
-- behind a load balancer is slowed as much as against one. The key is a SHA-256 of both: the
-- table never holds who tried from where.
CREATE TABLE portal_login_failure (
    throttle_key     VARCHAR(64) PRIMARY KEY,
    failures         INT NOT NULL,
    last_failure_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    not_before       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX portal_login_failure_last_ix ON portal_login_failure (last_failure_at);
