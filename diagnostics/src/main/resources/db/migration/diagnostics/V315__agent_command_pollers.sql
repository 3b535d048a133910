-- The current command long-poll of each host (dataplane/TABLE-FORMAT.md, "Agent commands"): an
-- agent polls one at a time, so its newest poll takes over from older ones still waiting (left
-- behind by a killed or restarted agent, on any replica), and only the current poll may claim the
-- host's commands; an older one ends with 409 instead of taking commands for nobody.
CREATE TABLE diag_agent_poller (
    host_id         UUID PRIMARY KEY,
    poll_id         UUID NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
