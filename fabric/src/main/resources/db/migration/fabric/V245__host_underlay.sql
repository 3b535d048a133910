-- What the host's agent last said about its underlay interface (AgentStatus.underlay, as JSON):
-- the interface, the PA the table names, the addresses it carries and, when the PA is missing,
-- why the agent does not forward on it. NULL: the agent does not check an interface.
ALTER TABLE fabric_table_host ADD COLUMN underlay VARCHAR(4000);
