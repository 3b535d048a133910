package io.weft.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One application replica: its own JVM running the built portal jar, with its own port, home
 * directory and log file. {@link #kill()} is a crash (SIGKILL); {@link #stop()} is an orderly
 * shutdown (SIGTERM), as an upgrade does it; {@link #start()} brings it back on the same port.
 */
public final class ReplicaProcess {

  private final String name;
  private final Path jar;
  private final int port;
  private final int managementPort;
  private final Path home;
  private final Map<String, String> environment;
  private final List<String> jvmOptions;
  private final List<String> arguments;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;

  ReplicaProcess(
      String name,
      Path jar,
      int port,
      int managementPort,
      Path home,
      Map<String, String> environment,
      List<String> jvmOptions,
      List<String> arguments) {
    this.name = name;
    this.jar = jar;
    this.port = port;
    this.managementPort = managementPort;
    this.home = home;
    this.environment = Map.copyOf(environment);
    this.jvmOptions = List.copyOf(jvmOptions);
    this.arguments = List.copyOf(arguments);
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  /** The replica itself, bypassing the load balancer. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /**
   * Its management server ({@code management.server.port}: health, readiness, metrics), on a port
   * and threads of its own, so request load cannot starve the balancer's checks.
   */
  public URI managementUrl() {
    return URI.create("http://127.0.0.1:" + managementPort);
  }

  public int managementPort() {
    return managementPort;
  }

  /** Where its standard output and error go (appended across restarts). */
  public Path logFile() {
    return home.resolve("replica.log");
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** Starts the JVM; returns at once (see {@link #awaitReady}). */
  public synchronized void start() {
    if (isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.add("--server.port=" + port);
    command.add("--management.server.port=" + managementPort);
    command.addAll(arguments);
    try {
      Files.createDirectories(home);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
      builder.environment().put("WEFT_HOME", home.toString());
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start " + name + ": " + command, e);
    }
  }

  /** Waits until the replica's readiness endpoint answers 200; fails with its log's tail. */
  public void awaitReady(Duration max) {
    Instant deadline = Instant.now().plus(max);
    while (Instant.now().isBefore(deadline)) {
      if (!isAlive()) {
        throw new IllegalStateException(name + " exited during start-up:\n" + logTail());
      }
      if (ready()) {
        return;
      }
      sleep(Duration.ofMillis(200));
    }
    throw new IllegalStateException(name + " not ready after " + max + ":\n" + logTail());
  }

  /** Whether {@code /actuator/health/readiness} on the management port answers 200 right now. */
  public boolean ready() {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(managementUrl().resolve("/actuator/health/readiness"))
              .timeout(Duration.ofSeconds(2))
              .build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A crash: SIGKILL, no shutdown hooks, connections cut. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(10));
    }
  }

  /** An orderly stop (SIGTERM): the replica drains and exits; returns when it has. */
  public synchronized void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!waitFor(Duration.ofSeconds(40))) {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
      }
    }
  }

  /** The exit code of the last run, or -1 while it runs or before it started. */
  public synchronized int exitCode() {
    return process == null || process.isAlive() ? -1 : process.exitValue();
  }

  /** The last lines of the log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private boolean waitFor(Duration max) {
    try {
      return process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
