package io.weft.dataplane.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.pipeline.LeaseAuthority;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableFixtures;
import io.weft.dataplane.table.TableMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Port and underlay captures produce pcap files with the frames that passed. */
class CaptureTest {

  @Test
  void capturesPortAndUnderlayToPcap(@TempDir Path dir) throws Exception {
    try (SimulatedCloud cloud =
        SimulatedCloud.start(
            List.of("host-1"),
            TableFixtures.oneNetwork(1).encapsulation(),
            LeaseAuthority.TABLE_ONLY)) {
      SimulatedHost h = cloud.host("host-1");
      HostTable t = TableFixtures.oneNetwork(1);
      // oneNetwork's localPa is 192.168.1.1; the simulated host's is 192.168.100.1.
      h.agent()
          .apply(
              new TableMessage.Snapshot(
                  new HostTable("host-1", 1, t.encapsulation(), h.pa(), 1400, t.networks())));
      SimulatedVm vm = h.startVm("vm-1", TableFixtures.mac("02:00:00:00:00:10"));
      vm.configureStatic(
          TableFixtures.ip("10.0.0.10"),
          io.weft.dataplane.table.IpPrefix.parse("10.0.0.0/24"),
          TableFixtures.ip("10.0.0.1"));
      Path port = dir.resolve("port.pcap");
      Path underlay = dir.resolve("underlay.pcap");
      h.backend().capturePort("vm-1", port).join();
      h.backend().captureUnderlay(underlay).join();
      assertThat(vm.ping(TableFixtures.ip("10.0.0.1"), Duration.ofSeconds(2)).join().success())
          .isTrue();
      vm.ping(TableFixtures.ip("10.0.0.11"), Duration.ofMillis(300)).join(); // goes to the underlay
      h.backend().stopCaptures();
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(port)).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(b.getInt(0)).isEqualTo(0xA1B2C3D4);
      assertThat(b.getInt(20)).isEqualTo(1);
      assertThat(Files.size(port)).isGreaterThan(24 + 4 * (16 + 42));
      ByteBuffer u = ByteBuffer.wrap(Files.readAllBytes(underlay)).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(u.getInt(20)).isEqualTo(101);
      assertThat(Files.size(underlay)).isGreaterThan(24 + 16 + 20 + 8 + 14);
    }
  }
}
