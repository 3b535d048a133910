-- External NVGRE/VXLAN endpoints (machines Weft does not run) and the machines behind them, which
-- the table compiler publishes as lookup records to the hosts sharing their VM network.
CREATE TABLE fabric_external_host (
    id                  UUID         NOT NULL PRIMARY KEY,
    name                VARCHAR(100) NOT NULL,
    logical_network_id  UUID         NOT NULL REFERENCES fabric_logical_network (id),
    pa                  VARCHAR(64)  NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fabric_external_host_name_uk UNIQUE (name),
    CONSTRAINT fabric_external_host_pa_uk UNIQUE (logical_network_id, pa)
);

CREATE TABLE fabric_external_machine (
    id                UUID         NOT NULL PRIMARY KEY,
    external_host_id  UUID         NOT NULL REFERENCES fabric_external_host (id),
    tenant_id         UUID         NOT NULL REFERENCES fabric_tenant (id),
    subnet_id         UUID         NOT NULL REFERENCES fabric_subnet (id),
    address           VARCHAR(64)  NOT NULL,
    mac               VARCHAR(17)  NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fabric_external_machine_mac_uk UNIQUE (mac),
    CONSTRAINT fabric_external_machine_address_uk UNIQUE (subnet_id, address)
);
CREATE INDEX fabric_external_machine_host_ix ON fabric_external_machine (external_host_id);
CREATE INDEX fabric_external_machine_subnet_ix ON fabric_external_machine (subnet_id);
