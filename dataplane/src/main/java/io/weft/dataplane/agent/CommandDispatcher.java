package io.weft.dataplane.agent;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each {@link FabricCommand} with the handler registered for its kind. Features register their
 * kinds once at start ({@code PROBE_INJECT}, {@code CAPTURE}, …); a kind nobody registered fails at
 * once with a reason, so the fabric learns that this agent cannot do it instead of waiting for the
 * deadline. At most {@link #MAX_RUNNING} commands run at once; more fail as busy. Thread-safe.
 */
public final class CommandDispatcher {

  /** Commands one agent runs at the same time; diagnostics must never crowd out forwarding. */
  public static final int MAX_RUNNING = 8;

  private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

  /** Does the work of one kind of command; may block (it runs on a virtual thread of its own). */
  @FunctionalInterface
  public interface Handler {
    CommandReply handle(FabricCommand command) throws Exception;
  }

  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private final Semaphore running = new Semaphore(MAX_RUNNING);

  /** Registers the handler for {@code kind}, replacing any earlier one. */
  public CommandDispatcher register(String kind, Handler handler) {
    handlers.put(kind, handler);
    return this;
  }

  public Set<String> kinds() {
    return Set.copyOf(handlers.keySet());
  }

  /** Runs the command on the calling thread and returns its reply; never throws. */
  public CommandReply dispatch(FabricCommand command) {
    Handler handler = handlers.get(command.kind());
    if (handler == null) {
      return CommandReply.failed(
          "this agent does not know the command kind "
              + command.kind()
              + " (it knows "
              + kinds()
              + ")");
    }
    if (command.remaining().isZero()) {
      return CommandReply.failed("the deadline passed before the agent started the command");
    }
    if (!running.tryAcquire()) {
      return CommandReply.failed("the agent is busy with " + MAX_RUNNING + " commands");
    }
    try {
      CommandReply reply = handler.handle(command);
      return reply == null ? CommandReply.failed("the handler gave no answer") : reply;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CommandReply.failed("interrupted");
    } catch (Exception e) {
      LOG.warn("command {} ({}) failed", command.id(), command.kind(), e);
      return CommandReply.failed(command.kind() + " failed: " + e);
    } finally {
      running.release();
    }
  }
}
