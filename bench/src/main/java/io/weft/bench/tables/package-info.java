/**
 * {@code ./weft bench tables}: a generated cloud, simulated agents long-polling the fabric's host
 * table service, and the figures of {@code docs/benchmarks.md} "Tables and distribution".
 */
package io.weft.bench.tables;
