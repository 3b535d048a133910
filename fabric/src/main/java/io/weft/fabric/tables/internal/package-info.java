/**
 * The table compiler and its distribution, organised like OVN's inc-proc-eng: explicit nodes, each
 * reading only its declared inputs, and every input change handled — here by construction, since
 * each node is recomputed for exactly the dirty keys its inputs report.
 *
 * <pre>
 * inputs (FabricEvent, published inside the changing transaction; migration steps)
 *   │  TablePipeline collects them per transaction into a ChangeSet, compiles once before commit
 *   ▼
 * [migration state]  MigrationCoordinator   in: VmMigrated, VmDeleted, HostRemoved, agent reports
 *   │                                        out: fabric_table_moving (+ dirty VMs)
 * [vnic views]       ModelReader/Index      in: dirty vNICs (VnicAddressAssigned; all vNICs of
 *   │                                            VmPlaced/VmMigrated/VmDeleted VMs), migration state
 *   │                                        out: old view (fabric_table_vnic), new view (model)
 * [subnets]          ModelReader            in: SubnetCreated, DhcpRangesChanged, SubnetDeleted
 * [spans]            CompiledIndex          in: vnic views → ports per (network, host)
 *   │                                        out: hosts joining / leaving / staying per network
 * [host changes]     IncrementalCompiler    in: spans, vnic views, subnets
 *   │                  stayers: record/port/subnet upserts and removals of the dirty keys only
 *   │                  joiners: the whole network, from FullCompiler (same code as a snapshot)
 *   │                  leavers: removedNetworks
 * [change log]       ChangeLog              in: host changes → generation + 1, delta row per host
 *   ▼
 * wake-ups           WakeUps (+ NOTIFY through wakeup.ReplicaNotifications) → long-polls reread the log
 * </pre>
 *
 * <p>Host settings (PA, encapsulation, overlay MTU) have no node: a host's PA and its logical
 * network never change after registration, so snapshots carry them and deltas never do. Both paths
 * derive what a host sees of a vNIC through {@link io.weft.fabric.tables.internal.VnicView}, and
 * tests assert that replaying the log gives, host by host, exactly the full recompute.
 */
package io.weft.fabric.tables.internal;
