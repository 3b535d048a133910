/**
 * IPAM benchmark harness ({@code ./weft bench ipam}): allocation throughput with 1 and 8 clients
 * and next-free latency on a nearly full /8 and a sparse IPv6 /64, on H2 and PostgreSQL.
 */
package io.weft.bench.ipam;
