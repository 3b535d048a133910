package io.weft.diagnostics.reconciliation;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This replica's name in run records and job guards: host name and process id. */
final class ReplicaName {

  private static final String NAME = compute();

  private ReplicaName() {}

  static String current() {
    return NAME;
  }

  private static String compute() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + ":" + ProcessHandle.current().pid();
  }
}
