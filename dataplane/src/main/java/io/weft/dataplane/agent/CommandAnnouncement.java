package io.weft.dataplane.agent;

import java.net.http.HttpHeaders;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Commands announced on the table long-poll (TABLE-FORMAT.md, "Commands announced on the table
 * poll"): an agent asks for it with a request header, and a fabric that does it says so on every
 * table answer, and ends the poll early, saying {@link #PENDING}, when the host has commands
 * queued. The agent then takes them with one short command poll instead of holding a command
 * long-poll open beside the table's.
 */
public final class CommandAnnouncement {

  /** The header, on the agent's table poll and on the fabric's answers. */
  public static final String HEADER = "Weft-Commands";

  /** The agent's request value: end my table poll when commands are queued, and say so. */
  public static final String ASK = "announce";

  /** The fabric's value: it announces commands on this poll; none are queued. */
  public static final String ANNOUNCED = "announced";

  /** The fabric's value: it announces commands, and the host has some queued: take them now. */
  public static final String PENDING = "pending";

  private CommandAnnouncement() {}

  /** What the table client tells the agent's command client ({@link CommandClient}). */
  @FunctionalInterface
  public interface Listener {

    /**
     * A table answer (200 or 204) came.
     *
     * @param pending empty when the fabric does not announce commands; else whether some are
     *     pending
     * @return what the table client waits for before it polls again: the take of the commands
     */
    CompletableFuture<?> tableAnswered(Optional<Boolean> pending);
  }

  /**
   * What an answer says: empty from a fabric that does not announce (no header), else whether
   * commands are pending.
   */
  public static Optional<Boolean> pending(HttpHeaders headers) {
    return headers
        .firstValue(HEADER)
        .map(String::strip)
        .filter(v -> v.equals(ANNOUNCED) || v.equals(PENDING))
        .map(PENDING::equals);
  }
}
