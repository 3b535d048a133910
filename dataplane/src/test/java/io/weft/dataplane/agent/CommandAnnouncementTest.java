package io.weft.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's table and command clients against a fake fabric that counts their requests: where the
 * fabric announces commands on the table poll, a resting agent holds that one long-poll and takes
 * commands only when told (and once at start, retried until the fabric answers); where it does not,
 * the agent long-polls commands as before; a take that fails never makes the table poll spin on
 * "pending". Like the fabric, the fake lets only a host's newest command poll take commands.
 */
class CommandAnnouncementTest {

  private static final Duration WAIT = Duration.ofSeconds(1);

  private AgentAgainstFakeFabric fabric;
  private volatile boolean announces = true;

  /** How many command polls to come are refused with a 500. */
  private final AtomicInteger refusedPolls = new AtomicInteger();

  /** The number of the host's newest command poll: only it takes commands. */
  private final AtomicLong newestPoll = new AtomicLong();

  /** Command long-polls waiting: a command queued meanwhile goes to one, not announced. */
  private final AtomicInteger waitingLongPolls = new AtomicInteger();

  private final LinkedBlockingQueue<String> queued = new LinkedBlockingQueue<>();
  private final List<String> tablePolls = new CopyOnWriteArrayList<>();
  private final List<String> commandPolls = new CopyOnWriteArrayList<>();
  private final List<String> results = new CopyOnWriteArrayList<>();
  private TableClient tables;
  private CommandClient commands;

  @BeforeEach
  void startFabric() throws IOException {
    fabric = new AgentAgainstFakeFabric(this::table);
    fabric.handle("/api/v1/agent/commands", this::commands);
  }

  private void startAgent() {
    tables = fabric.tableClient(WAIT, Duration.ofMillis(50), Duration.ofSeconds(1));
    CommandDispatcher dispatcher =
        new CommandDispatcher().register("ECHO", c -> CommandReply.succeeded(c.payload()));
    commands =
        new CommandClient(
            fabric.uri(),
            AgentAgainstFakeFabric.TOKEN,
            "host-1",
            dispatcher,
            WAIT,
            Duration.ofMillis(50),
            Duration.ofSeconds(1));
    tables.whenFabricAnswers(commands::fabricAnsweredAgain);
    tables.whenCommandsAnnounced(commands);
    tables.start();
    commands.start();
  }

  @AfterEach
  void stop() {
    if (tables != null) {
      tables.close();
      commands.close();
    }
    fabric.close();
  }

  @Test
  void aRestingAgentSendsOnlyItsTablePollOncePastItsStart() throws Exception {
    startAgent();
    await(() -> tablePolls.size() >= 5, "five table polls");
    // Exactly one request per wait at rest: besides the table polls, only the start's take and
    // report (a quiet poll is the sign of life, TABLE-FORMAT.md "Liveness").
    assertThat(commandPolls)
        .as("one take at start, no command long-poll")
        .containsExactly("wait=0");
    assertThat(fabric.statuses).as("the start report only").hasSize(1);
    assertThat(tablePolls).allMatch(asked -> asked.equals(CommandAnnouncement.ASK));
  }

  @Test
  void aCommandAnnouncedOnTheTablePollIsTakenRunAndAnswered() throws Exception {
    startAgent();
    await(() -> tablePolls.size() >= 2, "a table poll waiting");
    String id = queue();
    await(() -> results.contains(id), "the command's result");
    await(() -> tablePolls.size() >= 5, "more table polls");
    assertThat(commandPolls).as("takes only, never a long-poll").containsOnly("wait=0").hasSize(2);
  }

  @Test
  void aCommandQueuedBeforeTheAgentStartsIsTakenWithoutALongPoll() throws Exception {
    String id = queue();
    startAgent();
    await(() -> results.contains(id), "the command's result");
    await(() -> tablePolls.size() >= 3, "more table polls");
    assertThat(commandPolls).as("takes only").containsOnly("wait=0");
  }

  @Test
  void againstAFabricThatDoesNotAnnounceTheAgentKeepsLongPollingCommands() throws Exception {
    announces = false;
    startAgent();
    await(() -> commandPolls.size() >= 3, "command polls");
    assertThat(commandPolls.subList(1, 3)).containsOnly("wait=" + WAIT.toSeconds());
    String id = queue();
    await(() -> results.contains(id), "the command's result, through the long-poll");
  }

  @Test
  void aFailingTakeDoesNotMakeTheTablePollSpinOnPending() throws Exception {
    refusedPolls.set(Integer.MAX_VALUE);
    queue(); // pending for ever: every table poll ends at once saying so
    startAgent();
    await(() -> commandPolls.size() >= 5, "takes, backing off");
    // Each announcement waits for a take before the next table poll (the take backs off).
    assertThat(tablePolls.size()).isLessThanOrEqualTo(commandPolls.size() + 1);
  }

  /**
   * A command long-poll a previous run of the agent left waiting would take the next command to a
   * dead connection: the take at start ends it (the newest poll takes over), so a failed one must
   * be tried again, with back-off, until the fabric answers, even with nothing announced.
   */
  @Test
  void aFailedTakeAtStartIsRetriedAndEndsAPollLeftBehind() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try {
      var leftBehind =
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(fabric.uri() + "/api/v1/agent/commands?wait=60"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      await(() -> waitingLongPolls.get() == 1, "the poll left behind waiting");
      refusedPolls.set(1);
      startAgent();
      await(leftBehind::isDone, "end of the poll left behind by the agent's retried take");
      assertThat(leftBehind.get().statusCode()).as("a newer poll took over").isEqualTo(409);
      String id = queue();
      await(() -> results.contains(id), "the command's result");
      assertThat(commandPolls).startsWith("wait=60", "wait=0", "wait=0");
    } finally {
      http.shutdownNow(); // close() would wait for the poll left behind
    }
  }

  private String queue() {
    String id = UUID.randomUUID().toString();
    queued.add(id);
    return id;
  }

  private void table(HttpExchange x) throws IOException {
    String asked = x.getRequestHeaders().getFirst(CommandAnnouncement.HEADER);
    tablePolls.add(asked == null ? "" : asked);
    boolean pending =
        announces && asked != null ? awaitUntil(WAIT, this::announceable) : sleepOut();
    if (announces && asked != null) {
      x.getResponseHeaders()
          .add(
              CommandAnnouncement.HEADER,
              pending ? CommandAnnouncement.PENDING : CommandAnnouncement.ANNOUNCED);
    }
    FakeFabric.reply(x, 204, "");
  }

  /** A command is queued that no waiting command long-poll will take. */
  private boolean announceable() {
    return !queued.isEmpty() && waitingLongPolls.get() == 0;
  }

  /** Waits up to {@code wait} for {@code condition}; returns it. */
  private static boolean awaitUntil(Duration wait, BooleanSupplier condition) {
    long until = System.nanoTime() + wait.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < until) {
      LongPollLoop.sleep(Duration.ofMillis(10));
    }
    return condition.getAsBoolean();
  }

  private boolean sleepOut() {
    LongPollLoop.sleep(WAIT);
    return false;
  }

  private void commands(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    if (path.endsWith("/result")) {
      results.add(path.split("/")[5]);
      FakeFabric.reply(x, 204, "");
      return;
    }
    String query = x.getRequestURI().getQuery();
    commandPolls.add(query);
    if (refusedPolls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      FakeFabric.reply(x, 500, "");
      return;
    }
    long poll = newestPoll.incrementAndGet();
    if (query.equals("wait=0")) {
      answer(x, queued.poll());
      return;
    }
    waitingLongPolls.incrementAndGet();
    try {
      Duration wait = Duration.ofSeconds(Long.parseLong(query.substring("wait=".length())));
      awaitUntil(wait, () -> !queued.isEmpty() || newestPoll.get() != poll);
      if (newestPoll.get() != poll) {
        FakeFabric.reply(x, 409, "{\"detail\":\"a newer command poll of this host took over\"}");
        return;
      }
      answer(x, queued.poll()); // still waiting: the table poll does not announce this command
    } finally {
      waitingLongPolls.decrementAndGet();
    }
  }

  /** Answers a command poll with the command {@code id} (none: null). */
  private void answer(HttpExchange x, String id) throws IOException {
    if (announces) {
      x.getResponseHeaders().add(CommandAnnouncement.HEADER, CommandAnnouncement.ANNOUNCED);
    }
    if (id == null) {
      FakeFabric.reply(x, 204, "");
      return;
    }
    FakeFabric.reply(
        x,
        200,
        "{\"formatVersion\":1,\"commands\":[{\"id\":\""
            + id
            + "\",\"kind\":\"ECHO\",\"deadline\":\""
            + Instant.now().plusSeconds(60)
            + "\",\"payload\":{}}]}");
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within 20 s");
      }
      Thread.sleep(20);
    }
  }
}
