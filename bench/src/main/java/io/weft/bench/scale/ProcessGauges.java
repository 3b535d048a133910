package io.weft.bench.scale;

import io.weft.testkit.HaproxyBalancer;
import io.weft.testkit.ReplicaProcess;
import io.weft.testkit.TwoReplicaLauncher;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the processes of a scale run hold: each live replica's heap in use and live threads (its
 * actuator metrics), and the file descriptors in use by each replica, each balancer and this JVM
 * (the agents), against each one's limit ({@code /proc/PID/fd}, {@code /proc/PID/limits}); and the
 * CPU each of them and PostgreSQL (all its processes) used since the previous print, in cores
 * ({@code /proc/PID/stat}: user + system time), which says where the machine's two cores went.
 */
final class ProcessGauges {

  private final TwoReplicaLauncher replicas;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String auth =
      "Basic "
          + Base64.getEncoder()
              .encodeToString(
                  ("admin:" + TwoReplicaLauncher.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));

  /** CPU ticks (user + system) per process name at the previous print, and when. */
  private Map<String, Long> lastTicks = new HashMap<>();

  private long lastNanos;

  ProcessGauges(TwoReplicaLauncher replicas) {
    this.replicas = replicas;
    cpu(); // the baseline
  }

  /** Prints the replicas' heap and threads and every process's descriptors, {@code when}. */
  void print(String when) {
    StringBuilder out = new StringBuilder("replicas " + when + ":");
    for (ReplicaProcess r : replicas.replicas()) {
      if (!r.isAlive()) {
        out.append(" ").append(r.name()).append(" down;");
        continue;
      }
      double heap = metric(r, "jvm.memory.used?tag=area:heap");
      double threads = metric(r, "jvm.threads.live");
      out.append(
          " %s heap %.0f MiB, %.0f live threads, %s;"
              .formatted(r.name(), heap / (1 << 20), threads, descriptors(r.pid())));
    }
    int i = 1;
    for (HaproxyBalancer b : replicas.balancerProcesses()) {
      out.append(" haproxy-%d %s;".formatted(i++, descriptors(b.pid())));
    }
    out.append(" agents' JVM %s".formatted(descriptors(ProcessHandle.current().pid())));
    System.out.println(out);
    System.out.println("  cpu since the previous figures, in cores: " + cpu());
  }

  /**
   * Each process's CPU since the last call, in cores (1.0 = one core busy all the time), and the
   * machine's total from /proc/stat.
   */
  synchronized String cpu() {
    Map<String, Long> ticks = new HashMap<>();
    int i = 1;
    for (ReplicaProcess r : replicas.replicas()) {
      ticks.put(r.name(), r.isAlive() ? ticks(r.pid()) : 0L);
    }
    for (HaproxyBalancer b : replicas.balancerProcesses()) {
      ticks.put("haproxy-" + i++, ticks(b.pid()));
    }
    ticks.put("agents' JVM", ticks(ProcessHandle.current().pid()));
    ticks.put(
        "postgres",
        ProcessHandle.allProcesses()
            .filter(ph -> ph.info().command().map(c -> c.contains("postgres")).orElse(false))
            .mapToLong(ph -> ticks(ph.pid()))
            .sum());
    ticks.put("machine", machineTicks());
    long now = System.nanoTime();
    StringBuilder out = new StringBuilder();
    if (lastNanos != 0) {
      double seconds = (now - lastNanos) / 1e9;
      ticks.forEach((name, t) -> {
        if (!name.equals("machine")) {
          long before = lastTicks.getOrDefault(name, 0L);
          out.append("%s %.2f, ".formatted(name, Math.max(0, t - before) / 100.0 / seconds));
        }
      });
      out.append(
          "all processes %.2f (of %d)"
              .formatted(
                  (ticks.get("machine") - lastTicks.getOrDefault("machine", 0L)) / 100.0 / seconds,
                  Runtime.getRuntime().availableProcessors()));
    }
    lastTicks = ticks;
    lastNanos = now;
    return out.toString();
  }

  /** utime + stime of a process, in clock ticks (100 a second on Linux); 0 if unknown. */
  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * Busy ticks of the whole machine (/proc/stat's cpu line: user to softirq, not idle or iowait).
   */
  private static long machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int k = 1; k < f.length && k <= 7; k++) {
        if (k != 4 && k != 5) {
          busy += Long.parseLong(f[k]);
        }
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** "N of LIMIT fds" for a process (its open descriptors and its soft limit). */
  static String descriptors(long pid) {
    if (pid < 0) {
      return "no process";
    }
    try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      long open = fds.count();
      return "%,d of %,d fds".formatted(open, softLimit(pid));
    } catch (IOException | RuntimeException e) {
      return "fds unknown";
    }
  }

  /** A process's soft limit of open files (-1 if unknown). */
  static long softLimit(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
        if (line.startsWith("Max open files")) {
          String[] f = line.substring("Max open files".length()).trim().split("\\s+");
          return f[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private double metric(ReplicaProcess r, String name) {
    try {
      String body =
          http.send(
                  HttpRequest.newBuilder(r.managementUrl().resolve("/actuator/metrics/" + name))
                      .header("Authorization", auth)
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      int at = body.indexOf("\"value\":");
      return Double.parseDouble(body.substring(at + 8, body.indexOf('}', at)).trim());
    } catch (Exception e) {
      return -1;
    }
  }
}
