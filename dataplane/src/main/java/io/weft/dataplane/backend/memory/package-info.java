/**
 * The memory backend: vNIC ports and the provider network inside one JVM, driving the same {@link
 * io.weft.dataplane.pipeline.VirtualSwitch} as a real host. Used by the simulated cloud of the
 * default run, by tests and by benchmarks.
 */
package io.weft.dataplane.backend.memory;
