package io.weft.dataplane.pipeline;

import java.time.Instant;

/**
 * One decision a switch took for a probe packet.
 *
 * @param at wall time of the decision
 * @param nanos the switch's monotonic clock at the decision (RTTs are differences of these, on one
 *     host)
 * @param from where the packet entered this switch: {@code port <portId>} or {@code underlay}
 * @param reply whether the packet was the destination's reply (else the request)
 * @param sequence the probe packet's echo sequence number
 * @param stage the pipeline stage
 * @param detail what it decided, in the switch's words (a drop starts with its counter's reason)
 */
public record ProbeObservation(
    Instant at,
    long nanos,
    String from,
    boolean reply,
    int sequence,
    TraceStage stage,
    String detail) {}
