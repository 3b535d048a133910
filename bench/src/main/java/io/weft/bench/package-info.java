/** Benchmark harnesses: each measures one figure recorded in docs/benchmarks.md. */
package io.weft.bench;
