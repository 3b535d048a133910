/**
 * Host tables: what the fabric intends each host to forward with, compiled incrementally from the
 * fabric's model into the data plane's own format ({@code io.weft.dataplane.table}), versioned per
 * host with a change log in the database, served to agents as deltas or snapshots, and the
 * make-before-break bookkeeping of live migrations. {@link io.weft.fabric.tables.HostTableService}
 * is the whole API; how the compiler is organised is described in the internal package.
 */
@org.springframework.modulith.NamedInterface("tables")
package io.weft.fabric.tables;
