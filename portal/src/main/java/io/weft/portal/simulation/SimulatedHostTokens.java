package io.weft.portal.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Where simulated hosts keep their agent tokens between runs, as a real agent keeps its token in a
 * config file: {@code WEFT_HOME/simulation/NAME.token}, readable by the owner only.
 */
final class SimulatedHostTokens {

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
      Files.createDirectories(directory);
      Path file = directory.resolve(hostName + ".token");
      Files.writeString(file, token);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // best effort on file systems without POSIX permissions
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
