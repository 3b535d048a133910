-- A VM create counts the tenant's vNICs against its quota (QuotaGuard): without an index on
-- tenant_id that count read every vNIC of every tenant, 370 ms a create at 1,000,000 vNICs
-- (./weft bench scale 10000 1000000, docs/benchmarks.md).
CREATE INDEX fabric_vnic_tenant_ix ON fabric_vnic (tenant_id);
