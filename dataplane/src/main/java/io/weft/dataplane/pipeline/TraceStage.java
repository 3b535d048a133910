package io.weft.dataplane.pipeline;

/** The stage of the pipeline that took a decision reported to a {@link TraceSink}. */
public enum TraceStage {
  PARSE,
  PORT_SECURITY,
  LOCAL_ANSWER,
  DHCP,
  L2_LOOKUP,
  ROUTE,
  ENCAPSULATE,
  DECAPSULATE,
  DELIVER,
  DROP
}
