package io.weft.dataplane.agent;

import io.weft.dataplane.table.TableJson;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table client's status reports to the fabric and when they are sent: on a lease change, within
 * {@link TableClient#DROP_REPORT_DELAY} of a drop, and in full once no report has reached the
 * fabric for a jittered full-report interval; the poll loop asks for the others (after a change, on
 * news, after a failure). Remembers whether the last report the poll loop relies on reached the
 * fabric, so the loop's next round reports again when it did not. Stops with the client's {@link
 * LongPollLoop} and sends nothing while it is paused.
 */
final class StatusReports {

  private static final Logger LOG = LoggerFactory.getLogger(StatusReports.class);

  private final FabricRequests requests;
  private final HostAgent agent;
  private final HttpClient http;
  private final LongPollLoop polls;

  /** Run whenever the fabric accepts a status report (its first after an outage included). */
  private volatile Runnable fabricAnswered = () -> {};

  private volatile boolean reported;
  private volatile Duration fullReportInterval = TableClient.DEFAULT_FULL_REPORT_INTERVAL;

  /** When the fabric last accepted a report ({@link System#nanoTime}). */
  private volatile long lastReportNanos = System.nanoTime();

  /** The agent's count of new observed addresses that the last accepted report carried. */
  private volatile long reportedObservations;

  /**
   * One report at a time, each read when it goes: the drop, lease, full-report and poll loops all
   * report, and two in flight at once could reach the fabric out of order, an older status
   * overwriting a newer one (a table applied meanwhile reported as not applied) until the next.
   */
  private final ReentrantLock sending = new ReentrantLock();

  StatusReports(FabricRequests requests, HostAgent agent, HttpClient http, LongPollLoop polls) {
    this.requests = requests;
    this.agent = agent;
    this.http = http;
    this.polls = polls;
  }

  /** Reports each lease change (from now on). */
  void reportLeaseChanges() {
    // A lease is news for the fabric's reconciliation: report it now, not at the next heartbeat;
    // a burst of them in one or two reports, not one each.
    agent.onLeaseChange(
        new CoalescingRunner("weft-lease-report-" + agent.hostId(), this::report)::request);
  }

  /** Starts the drop and full-report loops; they run while the (started) poll loop runs. */
  void startLoops() {
    Thread.ofVirtual().name("weft-drop-reports-" + agent.hostId()).start(this::reportDrops);
    Thread.ofVirtual().name("weft-full-reports-" + agent.hostId()).start(this::reportPeriodically);
  }

  /** See {@link TableClient#fullReportEvery}. */
  void fullReportEvery(Duration interval) {
    if (!interval.isPositive()) {
      throw new IllegalArgumentException("the full report interval must be positive");
    }
    this.fullReportInterval = interval;
  }

  /** See {@link TableClient#whenFabricAnswers}. */
  void whenFabricAnswers(Runnable listener) {
    this.fabricAnswered = listener;
  }

  /**
   * The slow full report: once no report has reached the fabric for a jittered interval (80–120 %
   * of it, so agents started together do not report together for ever), report; after a failure the
   * poll loop reports again too (its next round).
   */
  private void reportPeriodically() {
    long due = fullReportPause(fullReportInterval, ThreadLocalRandom.current()).toNanos();
    long lastAttempt = System.nanoTime();
    while (polls.running()) {
      long wake = Math.max(lastReportNanos, lastAttempt) + due;
      long now = System.nanoTime();
      if (now - wake < 0) {
        LongPollLoop.sleep(Duration.ofNanos(Math.min(wake - now, 1_000_000_000L)));
        continue;
      }
      if (!polls.paused() && !report()) {
        reported = false;
      }
      lastAttempt = System.nanoTime();
      due = fullReportPause(fullReportInterval, ThreadLocalRandom.current()).toNanos();
    }
  }

  /** A uniformly random 80–120 % of {@code interval}. */
  static Duration fullReportPause(Duration interval, RandomGenerator random) {
    long ms = Math.max(1, interval.toMillis());
    return Duration.ofMillis(ms * 4 / 5 + random.nextLong(ms * 2 / 5 + 1));
  }

  /**
   * Drops are news for whoever is diagnosing: report them within {@link
   * TableClient#DROP_REPORT_DELAY}, not at the next heartbeat (which may be 30 s away); a burst
   * costs one report per delay.
   */
  private void reportDrops() {
    while (polls.running()) {
      LongPollLoop.sleep(TableClient.DROP_REPORT_DELAY);
      if (polls.running() && agent.hasUnreportedDrops()) {
        report();
      }
    }
  }

  /** Reports unless the last report the poll loop relies on reached the fabric. */
  void reportIfLastFailed() {
    if (!reported) {
      reported = report();
    }
  }

  /** Reports, remembering for the poll loop whether the fabric took it. */
  void reportForPollLoop() {
    reported = report();
  }

  /** The fabric is out of reach: the poll loop reports again once it answers. */
  void lost() {
    reported = false;
  }

  /** True when a port showed an address for the first time since the last accepted report. */
  boolean observationsUnreported() {
    return agent.observationsAdded() != reportedObservations;
  }

  /** Posts the agent's status; failures are only logged (the next change reports again). */
  boolean report() {
    if (polls.paused()) {
      return false;
    }
    sending.lock();
    try {
      return send();
    } finally {
      sending.unlock();
    }
  }

  private boolean send() {
    try {
      long observations = agent.observationsAdded();
      AgentStatus status = agent.status();
      String body = TableJson.mapper().writeValueAsString(status);
      HttpRequest request = requests.postJson("/api/v1/agent/status", body, Duration.ofSeconds(10));
      int code = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (code / 100 == 2) {
        lastReportNanos = System.nanoTime();
        reportedObservations = Math.max(reportedObservations, observations);
        agent.dropsDelivered(status.dropRecords());
        fabricAnswered.run();
      }
      return code / 100 == 2;
    } catch (IOException | RuntimeException e) {
      LOG.debug("status report failed", e);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
