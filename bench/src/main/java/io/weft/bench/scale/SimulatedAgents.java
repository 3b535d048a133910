package io.weft.bench.scale;

import io.weft.dataplane.agent.CommandAnnouncement;
import io.weft.dataplane.agent.RetrySchedule;
import io.weft.dataplane.agent.TableClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;

/**
 * Thousands of agents in one JVM, speaking the agent protocol of {@code TABLE-FORMAT.md} over HTTPS
 * through the balancer, sending what a real agent ({@link TableClient}, CommandClient) sends at
 * rest: one virtual thread each long-polls the table with {@code since} and reports the generation
 * after every table it applies, before its next poll after a failure, and in full every {@link
 * TableClient#DEFAULT_FULL_REPORT_INTERVAL} (jittered; checked when a poll ends) but not after a
 * quiet poll (the poll is the sign of life, "Liveness"). A second virtual thread each takes the
 * agent's commands as {@link CommandMode} says: by default as the agent does (its table poll asks
 * the fabric to announce commands; it takes them only when a table answer says "pending", and
 * long-polls them where the first answer shows the fabric does not announce; unlike the agent, no
 * take at start, see {@link #pollCommands}). Both back off with {@link RetrySchedule} on failures;
 * the table poll pauses after a drained poll and comes back after a busy replica's {@code
 * Retry-After} plus jitter. They do not build tables (the tables benchmark proves content); each
 * keeps its generation and when it reached it, and checks that every delta starts at the generation
 * it holds: a delta from an older generation would apply a change twice, one from a newer
 * generation would lose one.
 */
final class SimulatedAgents implements AutoCloseable {

  /** How the simulated agents take commands. */
  enum CommandMode {
    /** As the agent does (TABLE-FORMAT.md, "Commands announced on the table poll"). */
    ANNOUNCED,
    /** A command long-poll beside the table poll at all times (an agent before announcements). */
    LONG_POLL,
    /** No command requests at all. */
    OFF
  }

  /** How many (generation, time) pairs each agent remembers. */
  private static final int HISTORY = 64;

  private final List<URI> balancers;
  private final List<String> hostIds;
  private final List<String> tokens;

  /** Per balancer, a few clients (each has one selector thread for all its connections). */
  private final HttpClient[][] clients;

  private final long[][] generations;
  private final long[][] appliedAt;
  private final int[] next;
  private final long[] lastOkNanos;
  private final long[] backAtNanos;
  private final long[] failedAtNanos;

  /** Failures after the outage began, by what failed and how (poll or report, the message). */
  final Map<String, LongAdder> outageFailures = new ConcurrentHashMap<>();

  private volatile long outageAt;
  private final long[] current;
  private final Thread[] threads;
  private final Duration wait;
  private final Duration fullReportEvery;
  private final CommandMode commandMode;
  private final Thread[] commandThreads;

  /** Per agent: its table poll asks its command thread for a take (announced mode). */
  private final Semaphore[] takeWanted;

  private volatile boolean running = true;

  final AtomicLong polls = new AtomicLong();
  final AtomicLong snapshots = new AtomicLong();
  final AtomicLong deltas = new AtomicLong();
  final AtomicLong reports = new AtomicLong();

  /** Of {@link #reports}, the slow full reports of agents with nothing else to report. */
  final AtomicLong fullReports = new AtomicLong();

  final AtomicLong commandPollCount = new AtomicLong();
  final AtomicLong commandsTaken = new AtomicLong();

  /** Table answers that said commands are pending (the bench queues none: expected 0). */
  final AtomicLong commandsAnnounced = new AtomicLong();

  /** Failed command polls (not in {@link #failures}, which counts table polls and reports). */
  final AtomicLong commandFailures = new AtomicLong();

  final AtomicLong failures = new AtomicLong();
  final AtomicLong drained = new AtomicLong();
  final AtomicLong busy = new AtomicLong();
  final AtomicLong outOfOrderDeltas = new AtomicLong();
  volatile String lastFailure = "none";

  /**
   * Agent {@code i} talks to balancer {@code i % balancers.size()} only (as a host would be given
   * one balancer's address, e.g. by DNS round-robin), trusting that balancer's certificate ({@code
   * tls}, one per balancer).
   */
  SimulatedAgents(
      List<URI> balancers,
      List<SSLContext> tls,
      List<String> hostIds,
      List<String> tokens,
      Duration wait,
      Duration fullReportEvery,
      CommandMode commandMode) {
    this.balancers = List.copyOf(balancers);
    this.hostIds = hostIds;
    this.tokens = tokens;
    this.wait = wait;
    this.fullReportEvery = fullReportEvery;
    this.commandMode = commandMode;
    int n = hostIds.size();
    int perBalancer = Math.max(1, Math.min(16, n / 500) / balancers.size());
    clients = new HttpClient[balancers.size()][perBalancer];
    for (int b = 0; b < balancers.size(); b++) {
      for (int k = 0; k < perBalancer; k++) {
        clients[b][k] =
            HttpClient.newBuilder()
                .sslContext(tls.get(b))
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
      }
    }
    generations = new long[n][HISTORY];
    appliedAt = new long[n][HISTORY];
    next = new int[n];
    lastOkNanos = new long[n];
    backAtNanos = new long[n];
    failedAtNanos = new long[n];
    current = new long[n];
    threads = new Thread[n];
    commandThreads = new Thread[n];
    takeWanted = new Semaphore[n];
    for (int i = 0; i < n; i++) {
      takeWanted[i] = new Semaphore(0);
    }
  }

  /** Starts every agent, each after a random delay within {@code spread} (hosts boot apart). */
  void start(Duration spread) {
    for (int i = 0; i < threads.length; i++) {
      int agent = i;
      long delay = ThreadLocalRandom.current().nextLong(spread.toMillis() + 1);
      threads[i] = Thread.ofVirtual().name("agent-" + i).start(() -> run(agent, delay));
      if (commandMode != CommandMode.OFF) {
        commandThreads[i] =
            Thread.ofVirtual().name("agent-commands-" + i).start(() -> pollCommands(agent, delay));
      }
    }
  }

  /** Requests for commands so far (takes and long-polls). */
  long commandRequests() {
    return commandPollCount.get();
  }

  int size() {
    return threads.length;
  }

  /** The generation agent {@code i} holds (0 before its first snapshot). */
  long generation(int i) {
    synchronized (generations[i]) {
      return current[i];
    }
  }

  /** When agent {@code i} first held {@code generation} or later; -1 if not yet (or forgotten). */
  long reachedAt(int i, long generation) {
    synchronized (generations[i]) {
      if (current[i] < generation) {
        return -1;
      }
      long best = -1;
      for (int k = 0; k < HISTORY; k++) {
        if (generations[i][k] >= generation && appliedAt[i][k] != 0) {
          if (best < 0 || appliedAt[i][k] < best) {
            best = appliedAt[i][k];
          }
        }
      }
      return best;
    }
  }

  long lastOkNanos(int i) {
    return lastOkNanos[i];
  }

  /** From now on, remember when each agent was served again (see {@link #backAtNanos}). */
  void outageStarted(long nanos) {
    outageAt = nanos;
  }

  /**
   * When agent {@code i} was served again after {@link #outageStarted}: the moment it sent the
   * first poll that then succeeded (the outage time itself if a poll it had in flight succeeded,
   * e.g. one HAProxy moved to the other replica); 0 if no poll has succeeded since.
   */
  long backAtNanos(int i) {
    return backAtNanos[i];
  }

  /** When agent {@code i} first failed after {@link #outageStarted}; 0 if it did not. */
  long failedAtNanos(int i) {
    return failedAtNanos[i];
  }

  private void served(int i, long sentNanos) {
    long outage = outageAt;
    lastOkNanos[i] = System.nanoTime();
    if (outage != 0 && backAtNanos[i] == 0) {
      backAtNanos[i] = Math.max(sentNanos, outage);
    }
  }

  /** Agents that hold a table (answered their first poll). */
  int withTable() {
    int n = 0;
    for (int i = 0; i < threads.length; i++) {
      if (generation(i) > 0) {
        n++;
      }
    }
    return n;
  }

  private void run(int i, long delayMs) {
    sleep(delayMs);
    int b = i % balancers.size();
    URI balancer = balancers.get(b);
    HttpClient http = clients[b][(i / balancers.size()) % clients[b].length];
    int failed = 0;
    boolean reportDue = false; // after a failure: report before the next poll, as TableClient does
    long fullReportAt = System.nanoTime() + fullReportPause();
    while (running) {
      String step = "report";
      try {
        if (reportDue) {
          report(http, balancer, i);
          reportDue = false;
          fullReportAt = System.nanoTime() + fullReportPause();
        }
      } catch (IOException e) {
        if (!running) {
          return;
        }
        failed(i, step, e);
        sleep(RetrySchedule.AGENT.delay(failed++, ThreadLocalRandom.current()).toMillis());
        continue;
      } catch (InterruptedException e) {
        return;
      }
      step = "poll";
      long since = generation(i);
      HttpRequest request =
          HttpRequest.newBuilder(
                  balancer.resolve(
                      "/api/v1/agent/table?since=" + since + "&wait=" + wait.toSeconds()))
              .header("Authorization", "Bearer " + tokens.get(i))
              .header(
                  CommandAnnouncement.HEADER,
                  commandMode == CommandMode.ANNOUNCED ? CommandAnnouncement.ASK : "no")
              .timeout(TableClient.pollTimeout(wait))
              .build();
      long sent = System.nanoTime();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        polls.incrementAndGet();
        int code = response.statusCode();
        boolean changed = code == 200;
        if (changed) {
          applied(i, response.body());
        } else if (code == 204
            && response.headers().firstValue(TableClient.DRAINING_HEADER).isPresent()) {
          drained.incrementAndGet();
          served(i, sent);
          sleep(
              ThreadLocalRandom.current()
                  .nextLong(TableClient.DEFAULT_DRAIN_SPREAD.toMillis() + 1));
          continue;
        } else if (code == 503 && response.headers().firstValue("Retry-After").isPresent()) {
          // Busy building other hosts' snapshots: come back after the hint plus jitter, as
          // TableClient does (TABLE-FORMAT.md); not a failure, no report.
          busy.incrementAndGet();
          long hint = Long.parseLong(response.headers().firstValue("Retry-After").get().strip());
          sleep(hint * 1000 + ThreadLocalRandom.current().nextLong(hint * 1000 + 1));
          continue;
        } else if (code != 204 && code != 304) {
          throw new IOException("poll: HTTP " + code);
        }
        served(i, sent);
        failed = 0;
        if (commandMode == CommandMode.ANNOUNCED) {
          Optional<Boolean> pending = CommandAnnouncement.pending(response.headers());
          if (pending.orElse(false)) {
            commandsAnnounced.incrementAndGet();
          }
          if (pending.orElse(true)) {
            // As the agent does: take when told, or (no header: a fabric that does not announce)
            // let the command thread find that out and long-poll.
            takeWanted[i].release();
          }
        }
        // A quiet poll is no reason to report (TABLE-FORMAT.md, "Liveness"); a change is, and
        // so is the slow full report once due.
        boolean full = !changed && System.nanoTime() - fullReportAt >= 0;
        if (changed || full) {
          step = "report";
          reportDue = true; // until it succeeds
          report(http, balancer, i);
          reportDue = false;
          fullReportAt = System.nanoTime() + fullReportPause();
          if (full) {
            fullReports.incrementAndGet();
          }
        }
      } catch (IOException e) {
        if (!running) {
          return;
        }
        reportDue = true;
        failed(i, step, e);
        sleep(RetrySchedule.AGENT.delay(failed++, ThreadLocalRandom.current()).toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private long fullReportPause() {
    long ms = fullReportEvery.toMillis();
    return Duration.ofMillis(ms * 4 / 5 + ThreadLocalRandom.current().nextLong(ms * 2 / 5 + 1))
        .toNanos();
  }

  private void failed(int i, String step, IOException e) {
    failures.incrementAndGet();
    lastFailure = e.getMessage();
    if (outageAt != 0) {
      if (failedAtNanos[i] == 0) {
        failedAtNanos[i] = System.nanoTime();
      }
      outageFailures.computeIfAbsent(step + ": " + e, k -> new LongAdder()).increment();
    }
  }

  /**
   * Agent {@code i}'s command requests, on the same balancer and client as its table poll, as
   * CommandClient makes them: in {@link CommandMode#ANNOUNCED}, against a fabric that announces
   * (the answer's {@code Weft-Commands} header), a take ({@code wait=0}) only when the table poll
   * asks for one, else long-polls. Failures are counted apart ({@link #commandFailures}, and
   * "commands: ..." among the outage's failures) and retried with back-off.
   */
  private void pollCommands(int i, long delayMs) {
    sleep(delayMs);
    int b = i % balancers.size();
    URI balancer = balancers.get(b);
    HttpClient http = clients[b][(i / balancers.size()) % clients[b].length];
    int failed = 0;
    // Announced mode: takes only when a table answer says so (the first one tells whether the
    // fabric announces at all). The real agent also takes once at start, beside its first table
    // poll; here that second connection per agent overfills the balancers' descriptor-derived
    // maxconn with 10,000 agents in one JVM (docs/benchmarks.md, run L), so it is left out.
    boolean announced = commandMode == CommandMode.ANNOUNCED;
    while (running) {
      try {
        if (announced && failed == 0) {
          takeWanted[i].acquire(); // no long-poll: the table poll announces commands
          takeWanted[i].drainPermits();
        }
      } catch (InterruptedException e) {
        return;
      }
      Duration commandWait = announced ? Duration.ZERO : wait;
      HttpRequest request =
          HttpRequest.newBuilder(
                  balancer.resolve("/api/v1/agent/commands?wait=" + commandWait.toSeconds()))
              .header("Authorization", "Bearer " + tokens.get(i))
              .timeout(TableClient.pollTimeout(wait))
              .build();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        commandPollCount.incrementAndGet();
        int code = response.statusCode();
        if (code == 200) {
          commandsTaken.incrementAndGet(); // the bench queues none; counted if some other did
        } else if (code != 204) {
          throw new IOException("command poll: HTTP " + code);
        }
        announced =
            commandMode == CommandMode.ANNOUNCED
                && CommandAnnouncement.pending(response.headers()).isPresent();
        failed = 0;
      } catch (IOException e) {
        if (!running) {
          return;
        }
        commandFailures.incrementAndGet();
        if (outageAt != 0) {
          outageFailures.computeIfAbsent("commands: " + e, k -> new LongAdder()).increment();
        }
        sleep(RetrySchedule.AGENT.delay(failed++, ThreadLocalRandom.current()).toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void applied(int i, String body) {
    long now = System.nanoTime();
    boolean snapshot = body.contains("\"kind\":\"snapshot\"");
    long to = snapshot ? number(body, "\"generation\":") : number(body, "\"toGeneration\":");
    synchronized (generations[i]) {
      if (snapshot) {
        snapshots.incrementAndGet();
      } else {
        deltas.incrementAndGet();
        if (number(body, "\"fromGeneration\":") != current[i]) {
          outOfOrderDeltas.incrementAndGet();
          return; // refused, as the real agent would; the next poll asks from where it is
        }
      }
      current[i] = to;
      generations[i][next[i]] = to;
      appliedAt[i][next[i]] = now;
      next[i] = (next[i] + 1) % HISTORY;
    }
  }

  private void report(HttpClient http, URI balancer, int i)
      throws IOException, InterruptedException {
    String status =
        "{\"formatVersion\":1,\"hostId\":\"%s\",\"generation\":%d,\"digest\":\"bench\"}"
            .formatted(hostIds.get(i), generation(i));
    HttpRequest request =
        HttpRequest.newBuilder(balancer.resolve("/api/v1/agent/status"))
            .header("Authorization", "Bearer " + tokens.get(i))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(status))
            .build();
    int code = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    if (code / 100 != 2) {
      throw new IOException("status report: HTTP " + code);
    }
    reports.incrementAndGet();
  }

  private static long number(String body, String key) {
    int at = body.indexOf(key);
    if (at < 0) {
      throw new IllegalStateException("no " + key + " in a table message");
    }
    int p = at + key.length();
    long v = 0;
    while (p < body.length() && Character.isDigit(body.charAt(p))) {
      v = v * 10 + (body.charAt(p++) - '0');
    }
    return v;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    for (HttpClient[] perBalancer : clients) {
      for (HttpClient c : perBalancer) {
        c.shutdownNow();
      }
    }
  }
}
