package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.tables.HostTableService;
import io.weft.fabric.tables.MigrationRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * A migration whose last peer never reports, in a cloud where no agent reports again, still ends:
 * the sweeper drops the source's port after the peer timeout, and the timeline says why.
 */
@SpringBootTest(
    classes = FabricTestApplication.class,
    properties = {
      "weft.tables.migration-peer-timeout=1s",
      "weft.tables.migration-sweep-interval=200ms"
    })
class MigrationSweeperTest {

  @Autowired ApplicationContext ctx;
  @Autowired HostTableService tables;

  @Test
  void aMigrationWaitingOnASilentPeerEndsWithoutAnyFurtherReport() throws Exception {
    SilentPeerMigration m = SilentPeerMigration.start(ctx, tables, "10.7.0");
    assertThat(latest().phase()).isEqualTo("RECORDS_SWITCHED");

    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!latest().phase().equals("DONE") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }

    MigrationRecord done = latest();
    assertThat(done.phase()).as("phase without any further report").isEqualTo("DONE");
    assertThat(done.note()).contains("timed out waiting for 1 peer");
    m.agents().sync(m.source());
    String port = m.mover().nics().getFirst().id().toString();
    assertThat(m.agents().applied.get(m.source()).networks())
        .as("the source's table no longer has the moved port")
        .noneMatch(net -> net.ports().stream().anyMatch(p -> p.portId().equals(port)));
  }

  private MigrationRecord latest() {
    return tables.migrations(Cloud.OPERATOR, 1).getFirst();
  }
}
