/**
 * The IPAM reconciliation harness: a million allocations across ten thousand VM networks on
 * PostgreSQL, reconciled through the real job (Quartz, clustered store), timed with the heap it
 * needed.
 */
package io.weft.bench.reconciliation;
