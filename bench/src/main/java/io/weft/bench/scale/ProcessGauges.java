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
import java.util.stream.Stream;

/**
 * What the processes of a scale run hold: each live replica's heap in use and live threads (its
 * actuator metrics), and the file descriptors in use by each replica, each balancer and this JVM
 * (the agents), against each one's limit ({@code /proc/PID/fd}, {@code /proc/PID/limits}).
 */
final class ProcessGauges {

  private final TwoReplicaLauncher replicas;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String auth =
      "Basic "
          + Base64.getEncoder()
              .encodeToString(
                  ("admin:" + TwoReplicaLauncher.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));

  ProcessGauges(TwoReplicaLauncher replicas) {
    this.replicas = replicas;
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
