-- Each host's number of VMs, kept up to date by the placement code (place, move, drain, delete) in
-- the same transaction as fabric_vm.host_id. Choosing a host then reads one row per host instead of
-- counting every VM of the cloud on every placement (at 100,000 VMs that count dominated the time
-- from "create VM" to "every affected host applied").
ALTER TABLE fabric_host ADD COLUMN vm_count INT DEFAULT 0 NOT NULL;

UPDATE fabric_host SET vm_count = (SELECT count(*) FROM fabric_vm v WHERE v.host_id = fabric_host.id);
