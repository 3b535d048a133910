package io.weft.dataplane.agent;

import io.weft.dataplane.table.TableJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Takes the fabric's commands ({@code GET /api/v1/agent/commands?wait=S}), runs each on a virtual
 * thread through the {@link CommandDispatcher} and posts its result ({@code POST
 * /api/v1/agent/commands/{id}/result}). It takes once at start (again, with back-off, until the
 * fabric answers); then, where the fabric announces commands on the table poll (its last answer
 * said {@value CommandAnnouncement#HEADER}), it holds no long-poll and takes when the table client
 * says commands are pending ({@link #tableAnswered}); elsewhere it long-polls beside the table
 * long-poll. A fabric without the endpoint (404) is asked again only every {@link
 * #OLD_FABRIC_PAUSE}; other failures back off with full jitter like the table client. Format:
 * {@code TABLE-FORMAT.md}, "Agent commands" and "Commands announced on the table poll".
 */
public final class CommandClient implements AutoCloseable, CommandAnnouncement.Listener {

  static final Duration OLD_FABRIC_PAUSE = Duration.ofMinutes(5);
  private static final Logger LOG = LoggerFactory.getLogger(CommandClient.class);

  private final FabricRequests requests;
  private final CommandDispatcher dispatcher;
  private final Duration wait;
  private final LongPollLoop polls;
  private final HttpClient http;

  /** Released to end the wait for an announcement (a take asked for, or no more announcements). */
  private final Semaphore woken = new Semaphore(0);

  /**
   * A take (a poll with {@code wait=0}) is due: at start (it also ends a command poll a previous
   * run of this agent left waiting on the fabric, which would otherwise take the next command to a
   * dead connection), and when commands are announced.
   */
  private final AtomicBoolean takeDue = new AtomicBoolean(true);

  /**
   * Whether a take has been answered since start; until then a failed one is due again (after the
   * back-off), so the take at start ends a poll left behind even if no command is ever announced.
   * Read and written by the loop's thread only.
   */
  private boolean takenSinceStart;

  /** Completed when the next take has answered (true) or failed (false). */
  private final List<CompletableFuture<Boolean>> waitingForTake = new ArrayList<>();

  /** What the fabric's last answer said about announcing commands on the table poll. */
  private enum Announcing {
    /** No answer yet: wait for the first rather than open a long-poll. */
    NOT_YET_KNOWN,
    /** The answer carried the header: hold no command long-poll, take when told. */
    ANNOUNCES,
    /** The answer had no header (an older fabric) or no command endpoint: long-poll commands. */
    DOES_NOT_ANNOUNCE;

    static Announcing of(boolean announces) {
      return announces ? ANNOUNCES : DOES_NOT_ANNOUNCE;
    }
  }

  private volatile Announcing announcing = Announcing.NOT_YET_KNOWN;

  public CommandClient(URI fabric, String hostToken, String hostId, CommandDispatcher dispatcher) {
    this(
        fabric,
        hostToken,
        hostId,
        dispatcher,
        Duration.ofSeconds(30),
        Duration.ofMillis(250),
        Duration.ofSeconds(30));
  }

  public CommandClient(
      URI fabric,
      String hostToken,
      String hostId,
      CommandDispatcher dispatcher,
      Duration wait,
      Duration backoffBase,
      Duration backoffMax) {
    this.requests = new FabricRequests(fabric, hostToken);
    this.dispatcher = dispatcher;
    this.wait = wait;
    // Twice the base: this client's first pause after a failure has always been up to 2 × base
    // (the table client's up to 1 × base), and stays so.
    this.polls =
        new LongPollLoop(
            "weft-command-client-" + hostId,
            new RetrySchedule(
                backoffBase.multipliedBy(2).compareTo(backoffMax) < 0
                    ? backoffBase.multipliedBy(2)
                    : backoffMax,
                backoffMax));
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public void start() {
    polls.start(this::round);
  }

  /**
   * One round: a take when one is due; else, where the fabric announces commands, waiting until one
   * is; else a long-poll.
   */
  private Duration round() {
    if (takeDue.getAndSet(false)) {
      List<CompletableFuture<Boolean>> waiting;
      synchronized (waitingForTake) {
        waiting = List.copyOf(waitingForTake);
        waitingForTake.clear();
      }
      Duration pause = poll(Duration.ZERO);
      boolean answered = polls.consecutiveFailures() == 0;
      takenSinceStart |= answered;
      if (!takenSinceStart) {
        takeDue.set(true);
      }
      waiting.forEach(f -> f.complete(answered));
      return pause;
    }
    if (announcing != Announcing.DOES_NOT_ANNOUNCE) {
      try {
        woken.acquire();
        woken.drainPermits();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Duration.ZERO;
    }
    return poll(wait);
  }

  /**
   * The table client's answer said whether the fabric announces commands (empty: it does not, so
   * this client long-polls), and whether some are pending. Returns what the table client waits for
   * before it polls again: the take of pending commands, else nothing. Commands queued while the
   * agent could not reach the fabric need no take of their own: the fabric checks for pending
   * commands at the start of every table poll, so the first answer after an outage says so.
   */
  @Override
  public CompletableFuture<Boolean> tableAnswered(Optional<Boolean> pending) {
    announces(pending.isPresent());
    if (!pending.orElse(false)) {
      return CompletableFuture.completedFuture(true);
    }
    CompletableFuture<Boolean> taken = new CompletableFuture<>();
    synchronized (waitingForTake) {
      waitingForTake.add(taken);
    }
    takeDue.set(true);
    woken.release();
    return taken;
  }

  private void announces(boolean announces) {
    Announcing now = Announcing.of(announces);
    if (now != announcing) {
      LOG.info(
          announces
              ? "the fabric announces commands on the table poll: no command long-poll"
              : "the fabric does not announce commands: long-polling them");
      announcing = now;
      woken.release(); // stop waiting for announcements that will not come
    }
  }

  /**
   * Stops taking commands until {@link #resume()} (tests: an agent that is alive but does not
   * answer); a long-poll already waiting still returns its commands, which then wait unanswered.
   */
  public void pause() {
    polls.pause();
  }

  public void resume() {
    polls.resume();
  }

  /**
   * One poll: takes the commands the fabric has (waiting up to {@code wait}) and starts each;
   * returns how long to pause before the next poll (zero after an answer). Never throws.
   */
  private Duration poll(Duration wait) {
    HttpRequest request =
        requests.longPoll("/api/v1/agent/commands?wait=" + wait.toSeconds(), wait);
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return failed("fabric unreachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed("interrupted");
    }
    int code = response.statusCode();
    if (code == 404) {
      polls.answered(); // an answer: no command endpoint, so no poll left behind to end either
      announces(false);
      LOG.info("the fabric has no command endpoint; asking again in {}", OLD_FABRIC_PAUSE);
      return OLD_FABRIC_PAUSE;
    }
    if (code != 200 && code != 204) {
      return failed("fabric answered HTTP " + code);
    }
    polls.answered();
    announces(response.headers().firstValue(CommandAnnouncement.HEADER).isPresent());
    if (code == 204) {
      return Duration.ZERO;
    }
    if (polls.paused()) {
      return Duration.ZERO; // taken while paused: left unanswered, to expire on the fabric
    }
    for (FabricCommand command : parse(response.body())) {
      Thread.ofVirtual()
          .name("weft-command-" + command.kind())
          .start(() -> report(command, dispatcher.dispatch(command)));
    }
    return Duration.ZERO;
  }

  /** Commands in a poll answer; a malformed entry is skipped (it will expire on the fabric). */
  static List<FabricCommand> parse(String body) {
    List<FabricCommand> commands = new ArrayList<>();
    JsonNode root;
    try {
      root = TableJson.mapper().readTree(body);
    } catch (RuntimeException e) {
      LOG.warn("unreadable command answer: {}", e.toString());
      return commands;
    }
    for (JsonNode c : root.path("commands")) {
      try {
        commands.add(
            new FabricCommand(
                c.path("id").asString(),
                c.path("kind").asString(),
                c.path("payload"),
                Instant.parse(c.path("deadline").asString())));
      } catch (RuntimeException e) {
        LOG.warn("skipping a malformed command {}: {}", c, e.toString());
      }
    }
    return commands;
  }

  /** Posts a command's reply; a refusal (late, already answered) is only logged. */
  boolean report(FabricCommand command, CommandReply reply) {
    ObjectNode body = TableJson.mapper().createObjectNode();
    body.put("status", reply.succeeded() ? "SUCCEEDED" : "FAILED");
    body.set("result", reply.result());
    body.put("error", reply.error());
    try {
      HttpRequest request =
          requests.postJson(
              "/api/v1/agent/commands/" + command.id() + "/result",
              body.toString(),
              Duration.ofSeconds(30));
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        LOG.warn(
            "result of command {} ({}) refused: HTTP {} {}",
            command.id(),
            command.kind(),
            response.statusCode(),
            response.body());
        return false;
      }
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not post the result of command {}: {}", command.id(), e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Duration failed(String why) {
    polls.failed();
    LOG.debug(why);
    return polls.backoff();
  }

  /**
   * The fabric answered this host again (its table client reached it) while this client was backing
   * off after failures: poll now instead of sleeping out a pause of up to 30 s, so a probe or
   * capture asked right after an outage is taken at once.
   */
  public void fabricAnsweredAgain() {
    polls.endBackOff();
  }

  @Override
  public void close() {
    polls.close();
    http.shutdownNow();
    synchronized (waitingForTake) {
      waitingForTake.forEach(f -> f.complete(false));
      waitingForTake.clear();
    }
  }
}
