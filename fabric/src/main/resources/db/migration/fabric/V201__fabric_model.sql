-- The fabric's model of the cloud. Addresses are stored as text in canonical form; IPAM owns the
-- allocation state (ipam_* tables) and guarantees uniqueness per pool.

CREATE TABLE fabric_tenant (
    id                 UUID         NOT NULL PRIMARY KEY,
    name               VARCHAR(200) NOT NULL,
    slug               VARCHAR(64)  NOT NULL,
    state              VARCHAR(16)  NOT NULL,
    quota_vm_networks  INT          NOT NULL,
    quota_subnets      INT          NOT NULL,
    quota_vms          INT          NOT NULL,
    quota_vnics        INT          NOT NULL,
    quota_public_ips   INT          NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fabric_tenant_slug_uk UNIQUE (slug)
);

ALTER TABLE fabric_account ADD CONSTRAINT fabric_account_tenant_fk
    FOREIGN KEY (tenant_id) REFERENCES fabric_tenant (id);

CREATE TABLE fabric_vm_network (
    id          UUID         NOT NULL PRIMARY KEY,
    tenant_id   UUID         NOT NULL REFERENCES fabric_tenant (id),
    name        VARCHAR(100) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fabric_vm_network_name_uk UNIQUE (tenant_id, name)
);

CREATE TABLE fabric_subnet (
    id              UUID         NOT NULL PRIMARY KEY,
    tenant_id       UUID         NOT NULL REFERENCES fabric_tenant (id),
    vm_network_id   UUID         NOT NULL REFERENCES fabric_vm_network (id),
    name            VARCHAR(100) NOT NULL,
    cidr            VARCHAR(64)  NOT NULL,
    vsid            INT          NOT NULL,
    gateway         VARCHAR(64)  NOT NULL,
    pool_id         UUID         NOT NULL,
    static_start    VARCHAR(64),
    static_end      VARCHAR(64),
    static_range_id UUID,
    reserved        VARCHAR(2000) NOT NULL DEFAULT '',
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fabric_subnet_vsid_uk UNIQUE (vsid),
    CONSTRAINT fabric_subnet_name_uk UNIQUE (vm_network_id, name)
);
CREATE INDEX fabric_subnet_tenant_ix ON fabric_subnet (tenant_id);

CREATE TABLE fabric_dhcp_range (
    id              UUID         NOT NULL PRIMARY KEY,
    tenant_id       UUID         NOT NULL REFERENCES fabric_tenant (id),
    subnet_id       UUID         NOT NULL REFERENCES fabric_subnet (id),
    start_address   VARCHAR(64)  NOT NULL,
    end_address     VARCHAR(64)  NOT NULL,
    range_id        UUID         NOT NULL,
    lease_seconds   INT          NOT NULL,
    dns_servers     VARCHAR(1000) NOT NULL DEFAULT '',
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX fabric_dhcp_range_subnet_ix ON fabric_dhcp_range (subnet_id);

CREATE TABLE fabric_logical_network (
    id             UUID         NOT NULL PRIMARY KEY,
    name           VARCHAR(100) NOT NULL,
    pa_cidr        VARCHAR(64)  NOT NULL,
    encapsulation  VARCHAR(8)   NOT NULL,
    mtu            INT          NOT NULL,
    pool_id        UUID         NOT NULL,
    pa_range_id    UUID         NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fabric_logical_network_name_uk UNIQUE (name)
);

CREATE TABLE fabric_host (
    id                  UUID         NOT NULL PRIMARY KEY,
    name                VARCHAR(100) NOT NULL,
    logical_network_id  UUID         NOT NULL REFERENCES fabric_logical_network (id),
    pa                  VARCHAR(64)  NOT NULL,
    vm_slots            INT          NOT NULL,
    state               VARCHAR(16)  NOT NULL,
    token_hash          VARCHAR(128) NOT NULL,
    applied_generation  BIGINT       NOT NULL DEFAULT -1,
    applied_digest      VARCHAR(128),
    last_seen_at        TIMESTAMP WITH TIME ZONE,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fabric_host_name_uk UNIQUE (name),
    CONSTRAINT fabric_host_pa_uk UNIQUE (logical_network_id, pa),
    CONSTRAINT fabric_host_token_uk UNIQUE (token_hash)
);

CREATE TABLE fabric_vm (
    id          UUID         NOT NULL PRIMARY KEY,
    tenant_id   UUID         NOT NULL REFERENCES fabric_tenant (id),
    name        VARCHAR(100) NOT NULL,
    host_id     UUID         REFERENCES fabric_host (id),
    state       VARCHAR(16)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fabric_vm_name_uk UNIQUE (tenant_id, name)
);
CREATE INDEX fabric_vm_host_ix ON fabric_vm (host_id);

CREATE TABLE fabric_vnic (
    id          UUID         NOT NULL PRIMARY KEY,
    tenant_id   UUID         NOT NULL REFERENCES fabric_tenant (id),
    vm_id       UUID         NOT NULL REFERENCES fabric_vm (id),
    subnet_id   UUID         NOT NULL REFERENCES fabric_subnet (id),
    position    INT          NOT NULL,
    mac         VARCHAR(17)  NOT NULL,
    addressing  VARCHAR(8)   NOT NULL,
    address     VARCHAR(64),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fabric_vnic_mac_uk UNIQUE (mac)
);
CREATE INDEX fabric_vnic_vm_ix ON fabric_vnic (vm_id);
CREATE INDEX fabric_vnic_subnet_ix ON fabric_vnic (subnet_id);

CREATE TABLE fabric_audit (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at          TIMESTAMP WITH TIME ZONE NOT NULL,
    actor       VARCHAR(254) NOT NULL,
    tenant_id   UUID,
    action      VARCHAR(64)  NOT NULL,
    target      VARCHAR(200),
    result      VARCHAR(16)  NOT NULL,
    detail      VARCHAR(1000)
);
CREATE INDEX fabric_audit_tenant_ix ON fabric_audit (tenant_id, id);

-- Personal API tokens for scripts; only a SHA-256 hash is stored.
CREATE TABLE fabric_api_token (
    id           UUID         NOT NULL PRIMARY KEY,
    account_id   UUID         NOT NULL REFERENCES fabric_account (id),
    name         VARCHAR(100) NOT NULL,
    token_hash   VARCHAR(128) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT fabric_api_token_hash_uk UNIQUE (token_hash)
);
