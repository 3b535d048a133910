/**
 * JMH benchmarks of the data plane's per-packet path (encapsulate+lookup, decapsulate+deliver), run
 * with the GC profiler by {@code ./weft bench dataplane}.
 */
package io.weft.bench.dataplane;
