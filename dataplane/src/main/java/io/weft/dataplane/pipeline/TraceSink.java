package io.weft.dataplane.pipeline;

/**
 * Receives every decision the switch takes for one frame when tracing. The switch checks for {@link
 * #NONE} before building a step, so an untraced packet pays one reference comparison.
 */
@FunctionalInterface
public interface TraceSink {

  TraceSink NONE = step -> {};

  void step(TraceStep step);
}
