-- Paged lists read in their stable order straight off an index, however long the list:
-- every VM by name then id (one tenant's VMs use fabric_vm_name_uk (tenant_id, name)),
-- and the audit log newest first, whole or per tenant.
CREATE INDEX fabric_vm_name_id_ix ON fabric_vm (name, id);
CREATE INDEX fabric_audit_at_id_ix ON fabric_audit (at, id);
CREATE INDEX fabric_audit_tenant_at_id_ix ON fabric_audit (tenant_id, at, id);
