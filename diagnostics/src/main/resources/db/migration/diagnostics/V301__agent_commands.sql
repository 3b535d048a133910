-- Commands from the fabric to a host's agent (probes, captures, reports), delivered on the agent's
-- command long-poll (dataplane/TABLE-FORMAT.md, "Agent commands"). Any replica may create a command
-- and any replica may hand it to the agent, so the row is the only state; NOTIFY only wakes waiters.
-- state: PENDING (not yet handed out), DELIVERED, SUCCEEDED, FAILED; a command not finished by its
-- deadline reads as EXPIRED (computed; late results are refused).
CREATE TABLE diag_agent_command (
    id              UUID PRIMARY KEY,
    host_id         UUID NOT NULL,
    kind            VARCHAR(64) NOT NULL,
    payload         TEXT NOT NULL,
    state           VARCHAR(16) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    deadline        TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at    TIMESTAMP WITH TIME ZONE,
    completed_at    TIMESTAMP WITH TIME ZONE,
    result          TEXT,
    error           VARCHAR(2000)
);
CREATE INDEX diag_agent_command_host_state ON diag_agent_command (host_id, state);
CREATE INDEX diag_agent_command_created ON diag_agent_command (created_at);
