package io.weft.portal.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Where simulated hosts keep their agent tokens between runs, as a real agent keeps its token in a
 * config file: {@code WEFT_HOME/simulation/NAME.token}, readable by the owner only. A token file is
 * created owner-only from the start and moved into place, so no other local user can ever read a
 * token, not even while it is being written.
 */
final class SimulatedHostTokens {

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private final Path directory;

  SimulatedHostTokens(Path home) {
    this.directory = home.resolve("simulation");
  }

  Optional<String> read(String hostName) {
    Path file = directory.resolve(hostName + ".token");
    try {
      return Files.isReadable(file)
          ? Optional.of(Files.readString(file).strip())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  void write(String hostName, String token) {
    try {
      Files.createDirectories(directory, ownerOnly("rwx------"));
      Path partial = Files.createTempFile(directory, hostName, ".partial", ownerOnly("rw-------"));
      try {
        Files.writeString(partial, token);
        Files.move(
            partial,
            directory.resolve(hostName + ".token"),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The permissions as a creation attribute; none where the file system has no POSIX modes. */
  private static FileAttribute<?>[] ownerOnly(String permissions) {
    return POSIX
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))
        }
        : new FileAttribute<?>[0];
  }
}
