package io.weft.dataplane.pipeline;

/** One decision of the pipeline, in words a person can read in a trace. */
public record TraceStep(TraceStage stage, String detail) {

  @Override
  public String toString() {
    return stage + ": " + detail;
  }
}
