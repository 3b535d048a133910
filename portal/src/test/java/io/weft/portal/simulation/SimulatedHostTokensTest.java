package io.weft.portal.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedHostTokensTest {

  @TempDir Path home;

  @Test
  void aTokenIsKeptOwnerOnlyAndReadBackAfterARestart() throws Exception {
    new SimulatedHostTokens(home).write("sim-host-1", "first-token");
    new SimulatedHostTokens(home).write("sim-host-1", "second-token");

    assertThat(new SimulatedHostTokens(home).read("sim-host-1")).contains("second-token");
    assertThat(new SimulatedHostTokens(home).read("sim-host-2")).isEmpty();
    Path file = home.resolve("simulation/sim-host-1.token");
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    } else {
      System.out.println("[skip] no POSIX permissions on this file system: mode not checked");
    }
    try (Stream<Path> files = Files.list(home.resolve("simulation"))) {
      assertThat(files)
          .extracting(p -> p.getFileName().toString())
          .containsExactly("sim-host-1.token");
    }
  }
}
