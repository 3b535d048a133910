package io.weft.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Entry point of {@code ./weft bench NAME [ARGS]}: dispatches to one benchmark harness by name.
 *
 * <p>Each harness is a class with a {@code public static void main(String[])}; register it in
 * {@link #HARNESSES}. JMH harnesses start JMH's runner themselves, so forks get this classpath.
 */
public final class BenchMain {

  /** name → fully qualified class with a main method. */
  private static final Map<String, String> HARNESSES =
      new TreeMap<>(
          Map.ofEntries(
              Map.entry("agent-restart", "io.weft.bench.lab.AgentRestartBench"),
              Map.entry("dataplane", "io.weft.bench.dataplane.DataplaneBenchmarkMain"),
              Map.entry("dhcp", "io.weft.bench.lab.DhcpBench"),
              Map.entry("dhcp-fabric", "io.weft.bench.lab.DhcpFabricBench"),
              Map.entry("ipam", "io.weft.bench.ipam.IpamBench"),
              Map.entry("lab", "io.weft.bench.lab.LabBench"),
              Map.entry("probe", "io.weft.bench.probe.ProbeBench"),
              Map.entry("reconciliation", "io.weft.bench.reconciliation.ReconciliationBench"),
              Map.entry("scale", "io.weft.bench.scale.ScaleBench"),
              Map.entry("scale-cloud", "io.weft.bench.scale.KeptCloud"),
              Map.entry("tables", "io.weft.bench.tables.TablesBench"),
              Map.entry("trace", "io.weft.bench.tables.TraceBench")));

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !HARNESSES.containsKey(args[0])) {
      System.err.println(
          "usage: ./weft bench NAME [ARGS]   where NAME is one of " + HARNESSES.keySet());
      System.exit(2);
    }
    Class<?> harness = Class.forName(HARNESSES.get(args[0]));
    harness
        .getMethod("main", String[].class)
        .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }
}
