package io.weft.dataplane.agent;

import io.weft.dataplane.pipeline.LeaseEvent;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.InvalidTableException;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import io.weft.dataplane.table.TableValidator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;

/**
 * The agent's memory across restarts, in its state directory: {@code table.json} (the last table it
 * applied, in the wire format of a snapshot) and {@code leases.json} (the DHCP leases its host
 * granted, with when). Each file is replaced atomically (written beside, forced to disk, renamed
 * over), so a crash leaves the old or the new file, never half of one. On start the agent rebuilds
 * its pipeline from these before the fabric has answered.
 */
public final class AgentStateStore {

  private static final Logger LOG = LoggerFactory.getLogger(AgentStateStore.class);
  static final String TABLE = "table.json";
  static final String LEASES = "leases.json";

  /** A lease as kept on disk: the responder's event and when it was granted or renewed. */
  public record StoredLease(LeaseEvent lease, long grantedAtEpochSecond) {
    boolean expired(Instant now) {
      return grantedAtEpochSecond + lease.leaseSeconds() < now.getEpochSecond();
    }
  }

  private final Path directory;

  public AgentStateStore(Path directory) throws IOException {
    this.directory = directory;
    Files.createDirectories(directory);
  }

  public Path directory() {
    return directory;
  }

  /**
   * The last applied table, if one is kept, valid and for this host; anything else is logged and
   * ignored (the agent then starts empty and asks the fabric for a snapshot).
   */
  public Optional<HostTable> loadTable(String hostId) {
    Path file = directory.resolve(TABLE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      TableMessage m = TableJson.read(Files.readString(file, StandardCharsets.UTF_8));
      if (!(m instanceof TableMessage.Snapshot s)) {
        throw new InvalidTableException("not a snapshot");
      }
      HostTable t = s.table();
      if (!t.hostId().equals(hostId)) {
        LOG.warn("ignoring {}: it is host {}'s table, this is {}", file, t.hostId(), hostId);
        return Optional.empty();
      }
      TableValidator.validate(t);
      return Optional.of(t);
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  public void saveTable(HostTable table) throws IOException {
    write(TABLE, TableJson.write(new TableMessage.Snapshot(table)));
  }

  /** Leases still running at {@code now}. */
  public List<StoredLease> loadLeases(Instant now) {
    Path file = directory.resolve(LEASES);
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<StoredLease> all =
          TableJson.mapper()
              .readValue(Files.readString(file), new TypeReference<List<StoredLease>>() {});
      List<StoredLease> live = new ArrayList<>();
      for (StoredLease l : all) {
        if (!l.expired(now)) {
          live.add(l);
        }
      }
      return live;
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring {}: {}", file, e.getMessage());
      return List.of();
    }
  }

  public void saveLeases(List<StoredLease> leases) throws IOException {
    write(LEASES, TableJson.mapper().writeValueAsString(leases));
  }

  private void write(String name, String content) throws IOException {
    Path target = directory.resolve(name);
    Path temp = directory.resolve(name + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
