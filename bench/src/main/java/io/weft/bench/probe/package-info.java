/** The live-probe latency harness on the simulated cloud of {@code ./weft run}. */
package io.weft.bench.probe;
