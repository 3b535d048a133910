package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.dataplane.table.TableMessage;
import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.HostId;
import io.weft.fabric.tables.HostTableService;
import io.weft.fabric.tables.TablesBusyException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The long-poll under snapshot admission: while every permit is taken, an agent asking for its
 * first table is refused with a hint (and takes no pooled connection meanwhile), an agent that is
 * current is still answered, and the refused agent gets its whole table once a permit is free.
 */
class SnapshotAdmissionOnFabricTest {

  @Test
  void aRefusedAgentGetsItsTableLaterWhileCurrentAgentsAreStillServed() throws Exception {
    try (ConfigurableApplicationContext ctx =
            new SpringApplicationBuilder(FabricTestApplication.class)
                .run(
                    "--spring.datasource.url=jdbc:h2:mem:admit-"
                        + UUID.randomUUID()
                        + ";DB_CLOSE_DELAY=-1",
                    "--weft.tables.snapshot-builds=1",
                    "--weft.tables.snapshot-queue-wait=100ms");
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Cloud cloud = new Cloud(ctx).build(2, "VXLAN").ready();
      HostTableService tables = ctx.getBean(HostTableService.class);
      SnapshotAdmission admission = ctx.getBean(SnapshotAdmission.class);
      HostId first = cloud.hostIds.get(0);
      HostId second = cloud.hostIds.get(1);
      long current = tables.generation(second);

      CountDownLatch release = new CountDownLatch(1);
      Future<Object> busy =
          pool.submit(() ->
              admission.admit(
                  first.value(),
                  () -> {
                    try {
                      release.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    return "held";
                  }));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (admission.building() < 1) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(5);
      }

      assertThatThrownBy(() -> tables.awaitChanges(second, 0, Duration.ofSeconds(1)))
          .isInstanceOf(TablesBusyException.class)
          .extracting(e -> ((TablesBusyException) e).retryAfter())
          .isNotNull();
      assertThat(tables.awaitChanges(second, current, Duration.ZERO))
          .as("a current agent's poll needs no snapshot and is not held up")
          .isEmpty();

      release.countDown();
      busy.get(10, TimeUnit.SECONDS);
      TableMessage later = tables.awaitChanges(second, 0, Duration.ofSeconds(1)).orElseThrow();
      assertThat(later).isInstanceOf(TableMessage.Snapshot.class);
      assertThat(((TableMessage.Snapshot) later).table()).isEqualTo(tables.intendedTable(second));
    }
  }
}
