package io.weft.archfixture.dataplane;

import java.util.logging.Logger;

/** Breaks "logging goes through SLF4J". */
public class JulLoggingInTheDataPlane {
  private static final Logger LOG = Logger.getLogger(JulLoggingInTheDataPlane.class.getName());

  void say() {
    LOG.info("bypasses the application's log format and levels");
  }
}
