package io.weft.diagnostics.command;

import io.weft.dataplane.table.TableJson;
import io.weft.diagnostics.AgentCommand;
import io.weft.diagnostics.AgentCommand.CommandState;
import io.weft.diagnostics.AgentCommands;
import io.weft.fabric.Caller;
import io.weft.fabric.ConflictException;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@link AgentCommands} on the database: every command is a row of {@code diag_agent_command}, so
 * any replica can queue, hand out or finish it. A command is handed out by a conditional update
 * (PENDING → DELIVERED), so two long-polls of the same host, on one replica or two, never both get
 * it. Finished commands are deleted by the diagnostics retention job ({@code
 * weft.diagnostics.retention.commands}, probes' with the probes), not here.
 */
class JdbcAgentCommands implements AgentCommands {

  private static final Caller SYSTEM = Caller.system("agent-commands");
  private static final Pattern KIND = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  private static final int MAX_ERROR = 2000;
  private static final String COLUMNS =
      "id, host_id, kind, payload, state, created_at, deadline, delivered_at, completed_at,"
          + " result, error";

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final CommandSignals signals;
  private final HostService hosts;
  private final Clock clock;
  private final int maxResultBytes;

  JdbcAgentCommands(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      CommandSignals signals,
      HostService hosts,
      Clock clock,
      int maxResultBytes) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.signals = signals;
    this.hosts = hosts;
    this.clock = clock;
    this.maxResultBytes = maxResultBytes;
  }

  @Override
  public AgentCommand send(HostId host, String kind, String payloadJson, Duration timeout) {
    if (kind == null || !KIND.matcher(kind).matches()) {
      throw new InvalidRequestException(
          "kind must be upper-case letters, digits and '_' (at most 64)", "kind");
    }
    requireObject(payloadJson, "payload", Integer.MAX_VALUE);
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new InvalidRequestException("timeout must be positive", "timeout");
    }
    if (timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new InvalidRequestException("timeout must be at most " + MAX_TIMEOUT, "timeout");
    }
    hosts.getHost(SYSTEM, host); // NotFoundException names hostId
    UUID id = UUID.randomUUID();
    Instant now = clock.instant();
    transactions.executeWithoutResult(tx -> {
      long unfinished =
          jdbc.sql(
                  "SELECT COUNT(*) FROM diag_agent_command WHERE host_id = :h"
                      + " AND state IN ('PENDING', 'DELIVERED') AND deadline > :now")
              .param("h", host.value())
              .param("now", Timestamp.from(now))
              .query(Long.class)
              .single();
      if (unfinished >= MAX_UNFINISHED_PER_HOST) {
        throw new ConflictException(
            "the host already has " + unfinished + " unfinished commands; try again later",
            "hostId");
      }
      jdbc.sql(
              "INSERT INTO diag_agent_command (id, host_id, kind, payload, state, created_at,"
                  + " deadline) VALUES (:id, :h, :kind, :payload, 'PENDING', :now, :deadline)")
          .param("id", id)
          .param("h", host.value())
          .param("kind", kind)
          .param("payload", payloadJson)
          .param("now", Timestamp.from(now))
          .param("deadline", Timestamp.from(now.plus(timeout)))
          .update();
      signals.notifyOnCommit(CommandSignals.forHost(host.value()));
    });
    signals.commandQueued(host.value());
    return find(id).orElseThrow();
  }

  @Override
  public boolean hasPending(HostId host) {
    // A host found idle is not asked again until a command for it is signalled (IdleHosts).
    return signals.hasPending(
        host.value(),
        () ->
            jdbc.sql(
                    "SELECT 1 FROM diag_agent_command WHERE host_id = :h AND state = 'PENDING'"
                        + " AND deadline > :now LIMIT 1")
                .param("h", host.value())
                .param("now", Timestamp.from(clock.instant()))
                .query(Integer.class)
                .optional()
                .isPresent());
  }

  @Override
  public void whenQueued(Consumer<HostId> listener) {
    signals.whenHostSignalled(h -> listener.accept(new HostId(h)));
  }

  @Override
  public Optional<AgentCommand> find(UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM diag_agent_command WHERE id = :id")
        .param("id", id)
        .query(this::row)
        .optional();
  }

  @Override
  public AgentCommand awaitResult(UUID id, Duration wait) {
    Instant deadline = clock.instant().plus(wait);
    while (true) {
      CompletableFuture<Void> signal = signals.signal(CommandSignals.forCommand(id));
      AgentCommand command =
          find(id).orElseThrow(() -> new NotFoundException("no such command", "id"));
      Instant until = command.deadline().isBefore(deadline) ? command.deadline() : deadline;
      if (command.finished() || signals.isClosing()) {
        return command;
      }
      if (!CommandSignals.await(signal, Duration.between(clock.instant(), until))) {
        if (!clock.instant().isBefore(deadline)) {
          return find(id).orElse(command);
        }
        // The command's own deadline passed: one more read shows it EXPIRED (or a late result).
      }
    }
  }

  /**
   * A host's agent polls for commands one poll at a time, so the newest poll of a host is its live
   * one. An older poll still waiting is one its agent left behind: the agent was killed or
   * restarted, or its connection broke, and the fabric cannot tell until it writes the answer. Such
   * a poll must not take commands (they would be DELIVERED to nobody, and the caller told the agent
   * took them), so every poll takes over from the ones before it, on any replica, and only the
   * host's current poll claims commands; an older one here ends at once without any (409).
   */
  @Override
  public List<AgentCommand> awaitPending(HostId host, Duration wait) {
    UUID poll = takeOverPolling(host);
    Instant deadline = clock.instant().plus(wait);
    while (true) {
      CompletableFuture<Void> signal = signals.signal(CommandSignals.forHost(host.value()));
      if (!polling(host, poll)) {
        throw new ConflictException(
            "a newer command poll of this host took over; this one ends without commands", "wait");
      }
      List<AgentCommand> taken = takePending(host, poll);
      if (!taken.isEmpty() || signals.isClosing()) {
        return taken;
      }
      if (!CommandSignals.await(signal, Duration.between(clock.instant(), deadline))) {
        return List.of();
      }
    }
  }

  /** Makes {@code poll} the host's current one, and wakes older polls here so they end now. */
  private UUID takeOverPolling(HostId host) {
    UUID poll = UUID.randomUUID();
    Timestamp now = Timestamp.from(clock.instant());
    if (markPolling(host, poll, now) == 0) {
      try {
        jdbc.sql(
                "INSERT INTO diag_agent_poller (host_id, poll_id, started_at)"
                    + " VALUES (:h, :poll, :now)")
            .param("h", host.value())
            .param("poll", poll)
            .param("now", now)
            .update();
      } catch (DuplicateKeyException e) {
        markPolling(host, poll, now); // a poll of the same host inserted the row first
      }
    }
    signals.wake(CommandSignals.forHost(host.value()));
    return poll;
  }

  private int markPolling(HostId host, UUID poll, Timestamp now) {
    return jdbc.sql(
            "UPDATE diag_agent_poller SET poll_id = :poll, started_at = :now WHERE host_id = :h")
        .param("poll", poll)
        .param("now", now)
        .param("h", host.value())
        .update();
  }

  private boolean polling(HostId host, UUID poll) {
    return jdbc.sql("SELECT count(*) FROM diag_agent_poller WHERE host_id = :h AND poll_id = :poll")
            .param("h", host.value())
            .param("poll", poll)
            .query(Integer.class)
            .single()
        == 1;
  }

  private List<AgentCommand> takePending(HostId host, UUID poll) {
    Instant now = clock.instant();
    List<UUID> candidates =
        jdbc.sql(
                "SELECT id FROM diag_agent_command WHERE host_id = :h AND state = 'PENDING'"
                    + " AND deadline > :now ORDER BY created_at")
            .param("h", host.value())
            .param("now", Timestamp.from(now))
            .query(UUID.class)
            .list();
    List<AgentCommand> taken = new ArrayList<>();
    for (UUID id : candidates) {
      int claimed =
          jdbc.sql(
                  "UPDATE diag_agent_command SET state = 'DELIVERED', delivered_at = :now"
                      + " WHERE id = :id AND state = 'PENDING' AND EXISTS (SELECT 1 FROM"
                      + " diag_agent_poller WHERE host_id = :h AND poll_id = :poll)")
              .param("now", Timestamp.from(now))
              .param("id", id)
              .param("h", host.value())
              .param("poll", poll)
              .update();
      if (claimed == 1) {
        find(id).ifPresent(taken::add);
      }
    }
    return taken;
  }

  @Override
  public AgentCommand complete(HostId host, UUID id, CommandOutcome outcome) {
    if (outcome.resultJson() != null) {
      requireObject(outcome.resultJson(), "result", maxResultBytes);
    }
    String error = outcome.error();
    if (!outcome.succeeded() && (error == null || error.isBlank())) {
      error = "the agent did not say why";
    }
    if (error != null && error.length() > MAX_ERROR) {
      error = error.substring(0, MAX_ERROR);
    }
    String state = outcome.succeeded() ? "SUCCEEDED" : "FAILED";
    String finalError = error;
    transactions.executeWithoutResult(tx -> {
      AgentCommand current =
          find(id)
              .filter(c -> c.host().equals(host))
              .orElseThrow(() -> new NotFoundException("no such command for this host", "id"));
      if (current.finished()) {
        throw new ConflictException(
            "the command has already " + current.state().name().toLowerCase() + "; result refused",
            "id");
      }
      int updated =
          jdbc.sql(
                  "UPDATE diag_agent_command SET state = :state, completed_at = :now,"
                      + " result = :result, error = :error"
                      + " WHERE id = :id AND state IN ('PENDING', 'DELIVERED') AND deadline > :now")
              .param("state", state)
              .param("now", Timestamp.from(clock.instant()))
              .param("result", outcome.resultJson())
              .param("error", finalError)
              .param("id", id)
              .update();
      if (updated == 0) {
        throw new ConflictException("the command has just finished or expired", "id");
      }
      signals.notifyOnCommit(CommandSignals.forCommand(id));
    });
    signals.wake(CommandSignals.forCommand(id));
    return find(id).orElseThrow();
  }

  private static void requireObject(String json, String field, int maxBytes) {
    if (json == null) {
      throw new InvalidRequestException(field + " is required (a JSON object)", field);
    }
    if (json.length() > maxBytes) {
      throw new InvalidRequestException(
          field + " is larger than " + maxBytes + " characters", field);
    }
    JsonNode node;
    try {
      node = TableJson.mapper().readTree(json);
    } catch (JacksonException e) {
      throw new InvalidRequestException(field + " is not JSON: " + e.getOriginalMessage(), field);
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRequestException(field + " must be a JSON object", field);
    }
  }

  private AgentCommand row(ResultSet rs, int n) throws SQLException {
    Instant deadline = instant(rs, "deadline");
    CommandState stored = CommandState.valueOf(rs.getString("state"));
    CommandState state =
        !stored.finished() && !clock.instant().isBefore(deadline) ? CommandState.EXPIRED : stored;
    return new AgentCommand(
        rs.getObject("id", UUID.class),
        new HostId(rs.getObject("host_id", UUID.class)),
        rs.getString("kind"),
        rs.getString("payload"),
        state,
        instant(rs, "created_at"),
        deadline,
        instant(rs, "delivered_at"),
        instant(rs, "completed_at"),
        rs.getString("result"),
        rs.getString("error"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
