/**
 * Trace: a packet from a vNIC run through the data plane's own pipeline ({@code
 * io.weft.dataplane.pipeline.PacketTracer}) over the fabric's intended tables, host by host and
 * back, with every blocker named and its fix. {@link io.weft.diagnostics.trace.PathTracer} chains
 * the hops over {@link io.weft.diagnostics.trace.FabricFacts}, which the fabric's services answer.
 */
package io.weft.diagnostics.trace;
