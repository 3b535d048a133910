-- Records lost per host and VM network, so a tenant is told only how many of its own records were
-- lost (diag_drop_loss keeps the host totals, for operators): the agent's ring losses it counted per
-- VSID (dropRecords.lostByVsid) and the records beyond the fabric's bound per host, each resolved to
-- its VM network and tenant like the records themselves.
CREATE TABLE diag_drop_loss_network (
    host_id             UUID NOT NULL,
    vm_network_id       UUID NOT NULL,
    tenant_id           UUID,
    lost                BIGINT NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (host_id, vm_network_id)
);
CREATE INDEX ix_diag_drop_loss_network_tenant ON diag_drop_loss_network (tenant_id, vm_network_id);
