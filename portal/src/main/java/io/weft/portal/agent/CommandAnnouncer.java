package io.weft.portal.agent;

import io.weft.dataplane.table.TableMessage;
import io.weft.diagnostics.AgentCommands;
import io.weft.fabric.HostId;
import io.weft.fabric.tables.HostTableService;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Announces queued commands on the agents' table long-poll (TABLE-FORMAT.md, "Commands announced on
 * the table poll"), so a resting agent holds one long-poll, not a table and a command one. A poll
 * ends early when its host has commands pending: asked once after the change log (one indexed
 * read), and again only when the poll is woken, which a command queued for the host does on every
 * replica (diagnostics' NOTIFY-based signals wake the fabric's table long-polls here).
 */
@Component
class CommandAnnouncer {

  private final AgentCommands commands;
  private final HostTableService tables;

  CommandAnnouncer(AgentCommands commands, HostTableService tables) {
    this.commands = commands;
    this.tables = tables;
    commands.whenQueued(tables::wakeLongPolls);
  }

  /**
   * What a table poll that announces commands answers.
   *
   * @param message the table change, if any
   * @param commandsPending the poll ended because commands are queued for the host
   */
  record Answer(Optional<TableMessage> message, boolean commandsPending) {}

  /** {@link HostTableService#awaitChanges} that also ends when commands are queued for the host. */
  Answer await(HostId host, long since, Duration wait) {
    boolean[] pending = new boolean[1];
    Optional<TableMessage> message =
        tables.awaitChanges(host, since, wait, () -> pending[0] = commands.hasPending(host));
    return new Answer(message, pending[0]);
  }
}
