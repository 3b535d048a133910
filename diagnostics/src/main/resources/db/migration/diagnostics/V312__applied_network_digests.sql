-- What each host's agent last reported applying, per VM network (issue 12): the digest of each
-- network's part of its table (TABLE-FORMAT.md, "Applied entries"). The trace over applied tables
-- compares these with the intended ones and asks the agent for its entries where they differ.
-- digests: JSON object {routingDomainId: "sha256:…"}; rewritten only when it changes.
CREATE TABLE diag_applied_digests (
    host_id         UUID PRIMARY KEY,
    generation      BIGINT NOT NULL,
    digests         TEXT NOT NULL,
    reported_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
