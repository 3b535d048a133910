-- IPAM reconciliation (io.weft.diagnostics.reconciliation): job guards, runs, findings and what
-- agents observe on their ports. Plain SQL that runs on H2 2.4 and PostgreSQL 15.

-- One row per scheduled job: the run holding it (with a heartbeat) and whether operators paused
-- it. A run takes the row before it starts, so a recovered Quartz job never overlaps a normal
-- firing, on any replica; a holder that stops heart-beating (a killed replica) goes stale.
CREATE TABLE recon_job_guard (
  job_name      VARCHAR(100) NOT NULL PRIMARY KEY,
  holder        VARCHAR(200),
  run_id        UUID,
  heartbeat_at  TIMESTAMP WITH TIME ZONE,
  paused        BOOLEAN DEFAULT FALSE NOT NULL
);
INSERT INTO recon_job_guard (job_name) VALUES ('ipam-reconciliation');
INSERT INTO recon_job_guard (job_name) VALUES ('clock-health');

CREATE TABLE recon_run (
  id                 UUID         NOT NULL PRIMARY KEY,
  job_name           VARCHAR(100) NOT NULL,
  trigger_kind       VARCHAR(16)  NOT NULL,
  scheduled_fire_at  TIMESTAMP WITH TIME ZONE,
  node               VARCHAR(200) NOT NULL,
  status             VARCHAR(16)  NOT NULL,
  dry_run            BOOLEAN      NOT NULL,
  started_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at        TIMESTAMP WITH TIME ZONE,
  scopes             INT    DEFAULT 0 NOT NULL,
  allocations        BIGINT DEFAULT 0 NOT NULL,
  observations       BIGINT DEFAULT 0 NOT NULL,
  findings_open      INT    DEFAULT 0 NOT NULL,
  findings_new       INT    DEFAULT 0 NOT NULL,
  findings_closed    INT    DEFAULT 0 NOT NULL,
  fixed              INT    DEFAULT 0 NOT NULL,
  counts             VARCHAR(500),
  message            VARCHAR(1000)
);
CREATE INDEX recon_run_started ON recon_run (job_name, started_at);

-- A finding keeps its identity (scope, address, category) across runs.
CREATE TABLE recon_finding (
  id                 UUID         NOT NULL PRIMARY KEY,
  scope              VARCHAR(200) NOT NULL,
  address            VARCHAR(64)  NOT NULL,
  category           VARCHAR(24)  NOT NULL,
  tenant_id          UUID,
  state              VARCHAR(16)  NOT NULL,
  evidence           VARCHAR(2000) NOT NULL,
  -- the evidence without times: an ignored finding reopens when this changes
  evidence_key       VARCHAR(500)  NOT NULL,
  first_seen_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  last_seen_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  closed_at          TIMESTAMP WITH TIME ZONE,
  last_run_id        UUID         NOT NULL,
  resolution         VARCHAR(16),
  resolution_reason  VARCHAR(500),
  resolved_by        VARCHAR(254),
  resolved_at        TIMESTAMP WITH TIME ZONE,
  CONSTRAINT recon_finding_identity UNIQUE (scope, address, category)
);
CREATE INDEX recon_finding_state ON recon_finding (state, category);
CREATE INDEX recon_finding_tenant ON recon_finding (tenant_id, state);

-- What agents saw on their ports (bounded per port by the agent), merged across reports.
CREATE TABLE recon_observation (
  host_id           UUID         NOT NULL,
  port_id           VARCHAR(64)  NOT NULL,
  address           VARCHAR(64)  NOT NULL,
  kind              VARCHAR(16)  NOT NULL,
  vsid              INT          NOT NULL,
  mac               VARCHAR(17),
  first_seen_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  last_seen_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  lease_expires_at  TIMESTAMP WITH TIME ZONE,
  CONSTRAINT recon_observation_pk PRIMARY KEY (host_id, port_id, address, kind)
);
CREATE INDEX recon_observation_vsid ON recon_observation (vsid);

-- What each host says about itself: the provider address it uses and its clock offset.
CREATE TABLE recon_host_report (
  host_id           UUID         NOT NULL PRIMARY KEY,
  provider_address  VARCHAR(64),
  clock_offset_ms   BIGINT,
  clock_server      VARCHAR(200),
  reported_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Each replica's clock offset against its NTP servers.
CREATE TABLE recon_replica_clock (
  node              VARCHAR(200) NOT NULL PRIMARY KEY,
  offset_ms         BIGINT,
  server            VARCHAR(200),
  status            VARCHAR(16)  NOT NULL,
  measured_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
