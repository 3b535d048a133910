/**
 * The host table: the contract between the fabric, which compiles one table per host, and the
 * agent, which forwards with it. Plain immutable records ({@link io.weft.dataplane.table.HostTable}
 * and what it holds), the delta between two generations ({@link
 * io.weft.dataplane.table.TableDelta}), validation that rejects inconsistent tables with a reason,
 * and the JSON wire format with a digest ({@link io.weft.dataplane.table.TableJson}); described
 * field by field in {@code dataplane/TABLE-FORMAT.md}.
 */
package io.weft.dataplane.table;
