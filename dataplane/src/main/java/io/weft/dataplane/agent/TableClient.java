package io.weft.dataplane.agent;

import io.weft.dataplane.table.InvalidTableException;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-polls the fabric for table changes and applies them to a {@link HostAgent}; the wire format
 * is in {@code dataplane/TABLE-FORMAT.md}. Resumes with {@code since=<generation>}, asks for a
 * snapshot ({@code since=0}) after a refusal, and backs off with full jitter ({@link
 * RetrySchedule}) while the fabric is unreachable — the host keeps forwarding meanwhile. The
 * long-poll itself is the agent's sign of life (TABLE-FORMAT.md, "Liveness"): a quiet one is
 * followed by no report unless there is news (addresses the ports showed for the first time).
 * Status is reported after every change, on news (leases, drops), at start and resume, as soon as
 * the fabric answers again after a failure, and in full every {@link #DEFAULT_FULL_REPORT_INTERVAL}
 * (jittered) with counters and everything else a report carries ({@link StatusReports}). A
 * long-poll ended by a replica that is shutting down ({@value #DRAINING_HEADER}) is followed by a
 * random pause of up to {@code drainSpread} before polling again, through the balancer, on another
 * replica: the agents of a stopped replica arrive spread out, not all in the same millisecond.
 */
public final class TableClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TableClient.class);

  static final Duration DROP_REPORT_DELAY = Duration.ofSeconds(1);

  /** How long the fabric may hold a long-poll (its longest, 60 s: TABLE-FORMAT.md, "Liveness"). */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

  /**
   * How often an agent with nothing to report reports anyway (counters, observed addresses, clock
   * offset), each time at a uniformly random 80–120 % of this: well inside reconciliation's
   * observation freshness (15 min), so addresses in use stay current.
   */
  public static final Duration DEFAULT_FULL_REPORT_INTERVAL = Duration.ofMinutes(5);

  /** Set on the "no change" answer of a replica that is shutting down (TABLE-FORMAT.md). */
  public static final String DRAINING_HEADER = "Weft-Draining";

  /**
   * Longest pause after a drained long-poll: HAProxy takes a stopped replica out within 2 s (two
   * failed checks a second apart), and the replica refuses new connections sooner.
   */
  public static final Duration DEFAULT_DRAIN_SPREAD = Duration.ofSeconds(2);

  /**
   * How long the agent waits for a long-poll's answer ({@code wait} asked of the fabric): two waits
   * and 10 s. A balancer that loses the replica holding a poll resends it to another (HAProxy's
   * {@code retry-on empty-response}, docker/haproxy/haproxy.cfg), where the wait starts over: the
   * poll is alive there and a change reaches it at once, but a quiet answer comes up to a whole
   * wait after the resend, i.e. as late as the poll's age when the replica died plus a wait. With
   * one wait and 10 s the agent gave up on such polls, counted a failure and polled again: the
   * failover's tail of up to 30 s after a replica was killed (docs/benchmarks.md, run C). A
   * connection that hangs is still noticed, only later; HAProxy ends it first ({@code timeout
   * server}).
   */
  public static Duration pollTimeout(Duration wait) {
    return wait.multipliedBy(2).plusSeconds(10);
  }

  /** The longest "busy, come back" hint the agent honours; a longer one is treated as a failure. */
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  private final FabricRequests requests;
  private final HostAgent agent;
  private final Duration wait;
  private final LongPollLoop polls;
  private final RetrySchedule drainPause;
  private final HttpClient http;
  private final StatusReports reports;

  /** The agent's command client, told of commands announced on this poll; null: none, no asking. */
  private volatile CommandAnnouncement.Listener commands;

  private volatile String lastError = "";
  private volatile boolean answered;
  private volatile Duration retryAfter = Duration.ZERO;

  private int refusals;

  public TableClient(URI fabric, String hostToken, HostAgent agent) {
    this(fabric, hostToken, agent, DEFAULT_WAIT, Duration.ofMillis(250), Duration.ofSeconds(30));
  }

  public TableClient(
      URI fabric,
      String hostToken,
      HostAgent agent,
      Duration wait,
      Duration backoffBase,
      Duration backoffMax) {
    this(
        fabric,
        hostToken,
        agent,
        wait,
        new RetrySchedule(backoffBase, backoffMax),
        DEFAULT_DRAIN_SPREAD,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
  }

  /**
   * A client on an HTTP client of the caller's (e.g. one trusting a balancer's certificate), with
   * its retry schedule and the longest pause after a drained long-poll.
   */
  public TableClient(
      URI fabric,
      String hostToken,
      HostAgent agent,
      Duration wait,
      RetrySchedule retries,
      Duration drainSpread,
      HttpClient http) {
    this.requests = new FabricRequests(fabric, hostToken);
    this.agent = agent;
    this.wait = wait;
    this.polls = new LongPollLoop("weft-table-client-" + agent.hostId(), retries);
    this.drainPause = new RetrySchedule(drainSpread, drainSpread);
    this.http = http;
    this.reports = new StatusReports(requests, agent, http, polls);
  }

  /** Outcome of one poll. */
  public enum PollOutcome {
    APPLIED,
    REJECTED,
    UNCHANGED,
    /** "No change" from a replica that is shutting down: poll again elsewhere, after a pause. */
    DRAINED,
    /**
     * 503 with {@code Retry-After}: the replica is busy building other hosts' snapshots; poll again
     * after the hint plus jitter. Not a failure, and no status report (it would add to the load).
     */
    BUSY,
    FAILED
  }

  /** Starts polling on a virtual thread until {@link #close()}. */
  public synchronized void start() {
    if (polls.running()) {
      return;
    }
    reports.reportLeaseChanges();
    polls.start(this::round);
    reports.startLoops();
  }

  /**
   * How often to report with nothing new ({@link #DEFAULT_FULL_REPORT_INTERVAL} unless set); call
   * before {@link #start()}.
   */
  public void fullReportEvery(Duration interval) {
    reports.fullReportEvery(interval);
  }

  /**
   * Tells {@code listener} whenever the fabric accepts a status report, so the first one after an
   * outage reaches it however the report came about (the agent's command client then stops backing
   * off).
   */
  public void whenFabricAnswers(Runnable listener) {
    reports.whenFabricAnswers(listener);
  }

  /**
   * Asks the fabric to announce queued commands on this poll and tells {@code listener} what each
   * answer says, waiting for its take of announced commands before polling again (TABLE-FORMAT.md,
   * "Commands announced on the table poll"). Call before {@link #start()}.
   */
  public void whenCommandsAnnounced(CommandAnnouncement.Listener listener) {
    this.commands = listener;
  }

  /**
   * Stops polling, applying and reporting until {@link #resume()} (tests: an agent that is alive
   * and forwards on its last table but no longer follows the fabric); an answer to a long-poll
   * already waiting is thrown away.
   */
  public void pause() {
    polls.pause();
  }

  /** Undoes {@link #pause()} and reports at once (a long-poll still waiting may be 30 s away). */
  public void resume() {
    polls.resume();
    if (polls.running()) {
      Thread.ofVirtual().name("weft-resumed-report-" + agent.hostId()).start(reports::report);
    }
  }

  /** One round of the loop: reports if the last report did not reach the fabric, then polls. */
  private Duration round() {
    // The fabric may be back after an outage (or this agent's restart): tell it now that the
    // host is alive and what it forwards with, not when the next long-poll ends.
    reports.reportIfLastFailed();
    PollOutcome outcome = pollOnce();
    // A refusal asks for a snapshot, which the fabric answers at once: without a pause an agent
    // that cannot apply its table would poll in a tight loop until an operator fixes it.
    refusals = outcome == PollOutcome.REJECTED ? refusals + 1 : 0;
    return switch (outcome) {
      case FAILED -> polls.backoff();
      case DRAINED -> drainPause.delay(0, ThreadLocalRandom.current());
      case BUSY -> busyPause(retryAfter, ThreadLocalRandom.current());
      case REJECTED -> backoff(refusals);
      case APPLIED, UNCHANGED -> Duration.ZERO;
    };
  }

  /** One long-poll round: request, apply, report. Never throws. */
  public PollOutcome pollOnce() {
    long since = agent.needsSnapshot() ? 0 : agent.generation();
    HttpRequest request =
        requests.longPoll("/api/v1/agent/table?since=" + since + "&wait=" + wait.toSeconds(), wait);
    if (commands != null) {
      request =
          HttpRequest.newBuilder(request, (name, value) -> true)
              .header(CommandAnnouncement.HEADER, CommandAnnouncement.ASK)
              .build();
    }
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      reports.lost();
      return failed("fabric unreachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed("interrupted");
    }
    int code = response.statusCode();
    if (code == 204 || code == 304) {
      polls.answered();
      answered = true;
      passOnCommands(response);
      if (response.headers().firstValue(DRAINING_HEADER).isPresent()) {
        // No report now: every agent of the replica got this answer in the same moment, and the
        // next poll (after the pause) is a sign of life anyway.
        return PollOutcome.DRAINED;
      }
      // No heartbeat report: the poll told the fabric the agent is alive. Only news is reported:
      // an address a port showed for the first time (reconciliation), not yet sent.
      if (reports.observationsUnreported()) {
        reports.reportForPollLoop();
      }
      return PollOutcome.UNCHANGED;
    }
    Optional<Duration> busy = code == 503 ? retryAfter(response) : Optional.empty();
    if (busy.isPresent()) {
      polls.answered();
      answered = true;
      retryAfter = busy.get();
      return PollOutcome.BUSY;
    }
    if (code != 200) {
      return failed("fabric answered HTTP " + code);
    }
    polls.answered();
    answered = true;
    if (polls.paused()) {
      return PollOutcome.UNCHANGED; // paused while the long-poll waited: as if it never came
    }
    HostAgent.ApplyResult result;
    try {
      TableMessage message = TableJson.read(response.body());
      result = agent.apply(message);
    } catch (InvalidTableException e) {
      result = agent.reject(-1, e.getMessage());
    }
    if (!result.applied()) {
      LOG.warn("refused table: {}", agent.status().lastRejection());
    }
    reports.reportForPollLoop();
    passOnCommands(response);
    return result.applied() ? PollOutcome.APPLIED : PollOutcome.REJECTED;
  }

  /**
   * Tells the command client what a table answer said, and waits for its take of announced
   * commands: a failing take backs off there, so this loop does not spin on "pending".
   */
  private void passOnCommands(HttpResponse<?> response) {
    CommandAnnouncement.Listener listener = commands;
    if (listener == null) {
      return;
    }
    try {
      listener
          .tableAnswered(CommandAnnouncement.pending(response.headers()))
          .get(pollTimeout(wait).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("announced commands not taken: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A 503's {@code Retry-After} in whole seconds (the fabric's "busy, come back"); a 503 without it
   * (e.g. a balancer with no replica left) is a plain failure.
   */
  private static Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .flatMap(v -> {
          try {
            long seconds = Long.parseLong(v.strip());
            return seconds >= 0 && seconds <= MAX_RETRY_AFTER.toSeconds()
                ? Optional.of(Duration.ofSeconds(seconds))
                : Optional.empty();
          } catch (NumberFormatException notSeconds) {
            return Optional.empty(); // an HTTP date: not what the fabric sends
          }
        });
  }

  /**
   * The pause after a "busy" answer: uniform in {@code [hint, 2 × hint]}, so the agents a busy
   * replica turned away together do not all come back in the same second.
   */
  static Duration busyPause(Duration hint, RandomGenerator random) {
    long ms = Math.max(1, hint.toMillis());
    return Duration.ofMillis(ms + random.nextLong(ms + 1));
  }

  /** The last "busy" answer's hint. */
  public Duration lastRetryAfter() {
    return retryAfter;
  }

  /** Posts the agent's status; failures are only logged (the next change reports again). */
  public boolean reportStatus() {
    return reports.report();
  }

  private PollOutcome failed(String why) {
    polls.failed();
    lastError = why;
    LOG.debug(why);
    return PollOutcome.FAILED;
  }

  /** The pause after {@code failures} failures in a row (1 = the first): {@link RetrySchedule}. */
  Duration backoff(int failures) {
    return polls.backoff(failures);
  }

  public int consecutiveFailures() {
    return polls.consecutiveFailures();
  }

  /** True once the fabric has answered a poll (200, 204 or 304) and the last poll did not fail. */
  public boolean fabricReachable() {
    return answered && polls.consecutiveFailures() == 0;
  }

  public String lastError() {
    return lastError;
  }

  @Override
  public void close() {
    polls.close();
    http.shutdownNow(); // close() would wait for a pending long-poll
  }
}
