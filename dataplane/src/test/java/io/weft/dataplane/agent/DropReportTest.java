package io.weft.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.codec.ParsedFrame;
import io.weft.dataplane.pipeline.DropReason;
import io.weft.dataplane.pipeline.DropRing;
import io.weft.dataplane.pipeline.MonotonicWallClock;
import io.weft.dataplane.table.TableJson;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** An agent reports its switch's drops once each, promptly, and says how many its ring lost. */
class DropReportTest {

  private final DropRing ring =
      new DropRing(8, new MonotonicWallClock(1_764_000_000_000_000L, System::nanoTime));
  private AgentAgainstFakeFabric fabric;
  private List<String> statuses;
  private TableClient client;

  @BeforeEach
  void start() throws IOException {
    fabric =
        new AgentAgainstFakeFabric(
            x -> {
              try {
                Thread.sleep(10_000); // a quiet long-poll: no report for a while
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              x.sendResponseHeaders(204, -1);
              x.close();
            },
            ring);
    statuses = fabric.statuses;
    client =
        fabric.tableClient(Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofMillis(50));
  }

  @AfterEach
  void stop() {
    client.close();
    fabric.close();
  }

  private void drop(int lastOctet) {
    ParsedFrame f = new ParsedFrame();
    f.etherType = 0x0800;
    f.ipVersion = 4;
    f.l4Protocol = 1;
    f.srcLo = 0x0A00000AL;
    f.dstLo = 0x0A000100L | lastOctet;
    ring.record(System.nanoTime(), DropReason.NO_ROUTE, null, f, 5001, 7, 0, "no record");
  }

  private static JsonNode drops(String status) {
    JsonNode node = TableJson.mapper().readTree(status).get("dropRecords");
    return node == null || node.isNull() ? null : node;
  }

  @Test
  void eachDropIsDeliveredOnceAndAFailedReportIsRetried() {
    drop(1);
    drop(2);
    fabric.answerReportsWith(500);
    client.reportStatus();
    assertThat(drops(statuses.getLast()).get("records")).hasSize(2);
    fabric.answerReportsWith(204);
    client.reportStatus(); // the fabric did not take the first: the same records again
    JsonNode delivered = drops(statuses.getLast());
    assertThat(delivered.get("records")).hasSize(2);
    assertThat(delivered.get("lost").asLong()).isZero();
    JsonNode first = delivered.get("records").get(0);
    assertThat(first.get("destination").asString()).isEqualTo("10.0.1.1");
    assertThat(first.get("reason").asString()).isEqualTo("NO_ROUTE");
    assertThat(first.get("protocol").asString()).isEqualTo("ICMP");
    assertThat(first.get("at").asString()).startsWith("2025-11-24T");
    client.reportStatus();
    assertThat(drops(statuses.getLast())).as("nothing new: no dropRecords").isNull();
  }

  @Test
  void whatTheRingOverwroteBeforeAReportIsCountedLost() {
    for (int i = 0; i < 20; i++) {
      drop(i);
    }
    client.reportStatus();
    JsonNode report = drops(statuses.getLast());
    assertThat(report.get("lost").asLong()).isEqualTo(12);
    assertThat(report.get("lostByVsid").get("5001").asLong())
        .as("whose records were lost")
        .isEqualTo(12);
    assertThat(report.get("records")).hasSize(8);
    assertThat(report.get("records").get(0).get("sequence").asLong()).isEqualTo(12);

    // Delivered: the next report carries only losses since, per VSID too.
    for (int i = 0; i < 10; i++) {
      drop(i);
    }
    client.reportStatus();
    JsonNode next = drops(statuses.getLast());
    assertThat(next.get("lost").asLong()).isEqualTo(2);
    assertThat(next.get("lostByVsid").get("5001").asLong()).isEqualTo(2);
  }

  @Test
  void aRunningAgentReportsADropWithinSecondsNotAtItsHeartbeat() throws Exception {
    client.start(); // no report after quiet polls; a full one every 5 min
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (statuses.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    long t0 = System.nanoTime();
    drop(9);
    JsonNode reported = null;
    while (reported == null && System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos()) {
      reported =
          statuses.stream()
              .map(DropReportTest::drops)
              .filter(d -> d != null)
              .findFirst()
              .orElse(null);
      Thread.sleep(10);
    }
    assertThat(reported).as("a report with the drop").isNotNull();
    assertThat(reported.get("records").get(0).get("destination").asString()).isEqualTo("10.0.1.9");
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isLessThan(TableClient.DROP_REPORT_DELAY.multipliedBy(3));
  }
}
