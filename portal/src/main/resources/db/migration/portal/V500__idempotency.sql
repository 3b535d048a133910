-- Responses to POSTs that carried an Idempotency-Key, so a retried request is answered, not redone.
CREATE TABLE portal_idempotency (
    scope         VARCHAR(300) NOT NULL,
    idem_key      VARCHAR(200) NOT NULL,
    fingerprint   VARCHAR(64)  NOT NULL,
    status        INT,
    content_type  VARCHAR(100),
    body          VARCHAR(100000),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX portal_idempotency_created_ix ON portal_idempotency (created_at);
