package io.weft.dataplane.pipeline;

import static io.weft.dataplane.table.TableFixtures.ip;
import static io.weft.dataplane.table.TableFixtures.mac;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.codec.ParsedFrame;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Each switch keeps its recent drops in a fixed ring and says how many records it lost. */
class DropRingTest {

  private static final long VM_MAC = mac("02:00:00:00:00:10").value();
  private static final long PEER_MAC = mac("02:00:00:00:00:11").value();
  private static final int VM_IP = ip("10.0.0.10").v4Bits();

  private final SwitchOutput nowhere =
      new SwitchOutput() {
        @Override
        public void toPort(String portId, byte[] b, int off, int len) {}

        @Override
        public void toUnderlay(int pa, byte[] b, int off, int len) {}
      };

  private VirtualSwitch newSwitch() {
    return new VirtualSwitch(
        VirtualSwitchTest.table(), nowhere, LeaseAuthority.TABLE_ONLY, () -> 1_000_000_000L);
  }

  /** A DHCP server message from the VM (unicast, so the storm limit stays out of it). */
  private static byte[] dhcpServerReply() {
    byte[] b = new byte[400];
    int len =
        FrameWriter.udpV4(b, 0, PEER_MAC, VM_MAC, VM_IP, ip("10.0.0.11").v4Bits(), 67, 68, 40);
    return Arrays.copyOf(b, len);
  }

  @Test
  void recordsOverwrittenBeforeTheyWereReadCountAsLostForTheirOwnVsid() {
    DropRing ring = new DropRing(4, MonotonicWallClock.system());
    // Tenant A's VSID 5001 drops 5 times, tenant B's 7002 once, an unparsed underlay packet once.
    for (int i = 0; i < 5; i++) {
      ring.record(i, DropReason.NO_ROUTE, null, null, 5001, 1, 0, "a");
    }
    ring.record(5, DropReason.SPOOFED_SOURCE, null, null, 7002, 1, 0, "b");
    ring.record(6, DropReason.MALFORMED, null, null, 0, 1, 0, "c");
    // Four slots: the first three (all 5001) were overwritten before anyone read them.
    DropRing.Batch batch = ring.since(0, 100);
    assertThat(batch.lost()).isEqualTo(3);
    assertThat(ring.lostByVsid()).containsExactly(java.util.Map.entry(5001, 3L));

    // Once read (and the reader goes on after them), overwriting them loses nothing.
    ring.readingFrom(batch.next());
    for (int i = 0; i < 4; i++) {
      ring.record(10 + i, DropReason.NO_ROUTE, null, null, 9009, 1, 0, "d");
    }
    assertThat(ring.lostByVsid()).containsExactly(java.util.Map.entry(5001, 3L));
    // Unread ones overwritten again are lost, whoever's they were: 9009's own, one of them.
    ring.record(14, DropReason.NO_ROUTE, null, null, 7002, 1, 0, "e");
    assertThat(ring.lostByVsid())
        .containsExactly(java.util.Map.entry(5001, 3L), java.util.Map.entry(9009, 1L));
    assertThat(ring.since(batch.next(), 100).lost()).isEqualTo(1);
  }

  @Test
  void aDropIsRecordedWithItsFiveTupleReasonAndTheEntryThatDecided() {
    VirtualSwitch sw = newSwitch();
    Instant before = Instant.now().minusSeconds(1);
    byte[] guard = dhcpServerReply();
    sw.fromPort("vm1", guard, 0, guard.length);
    byte[] b = new byte[200];
    int len =
        FrameWriter.udpV4(
            b,
            0,
            io.weft.dataplane.table.MacAddress.DISTRIBUTED_ROUTER.value(),
            VM_MAC,
            VM_IP,
            ip("10.0.1.99").v4Bits(),
            40000,
            53,
            10);
    sw.fromPort("vm1", b, 0, len);

    DropRing.Batch batch = sw.drops().since(0, 100);
    assertThat(batch.lost()).isZero();
    assertThat(batch.next()).isEqualTo(2);
    DropRecord guarded = batch.records().get(0);
    assertThat(guarded.reason()).isEqualTo(DropReason.DHCP_GUARD);
    assertThat(guarded.portId()).isEqualTo("vm1");
    assertThat(guarded.vsid()).isEqualTo(5001);
    assertThat(guarded.source()).isEqualTo("10.0.0.10");
    assertThat(guarded.destination()).isEqualTo("10.0.0.11");
    assertThat(guarded.protocol()).isEqualTo("UDP");
    assertThat(guarded.sourcePort()).isEqualTo(67);
    assertThat(guarded.destinationPort()).isEqualTo(68);
    assertThat(guarded.decidedBy()).contains("port vm1 dhcpGuard").contains("generation 3");
    assertThat(guarded.at()).isAfter(before).isBefore(Instant.now().plusSeconds(1));

    DropRecord noRoute = batch.records().get(1);
    assertThat(noRoute.sequence()).isEqualTo(1);
    assertThat(noRoute.reason()).isEqualTo(DropReason.NO_ROUTE);
    assertThat(noRoute.destination()).isEqualTo("10.0.1.99");
    assertThat(noRoute.destinationPort()).isEqualTo(53);
    assertThat(noRoute.decidedBy()).contains("no record for 10.0.1.99 in VSID 5002");
  }

  @Test
  void theRingKeepsTheNewestAndCountsWhatItOverwroteBeforeItWasRead() {
    VirtualSwitch sw = newSwitch();
    byte[] guard = dhcpServerReply();
    for (int i = 0; i < 1500; i++) {
      sw.fromPort("vm1", guard, 0, guard.length);
    }
    DropRing.Batch all = sw.drops().since(0, 5000);
    assertThat(all.records()).hasSize(DropRing.DEFAULT_CAPACITY);
    assertThat(all.lost()).isEqualTo(1500 - DropRing.DEFAULT_CAPACITY);
    assertThat(all.records().getFirst().sequence()).isEqualTo(1500 - DropRing.DEFAULT_CAPACITY);
    assertThat(all.next()).isEqualTo(1500);

    DropRing.Batch page = sw.drops().since(1490, 4);
    assertThat(page.lost()).isZero();
    assertThat(page.records())
        .extracting(DropRecord::sequence)
        .containsExactly(1490L, 1491L, 1492L, 1493L);
    assertThat(page.next()).isEqualTo(1494);
    assertThat(sw.drops().since(1500, 10).records()).isEmpty();
  }

  @Test
  void droppingAndRecordingAllocatesNothingPerPacket() {
    VirtualSwitch sw = newSwitch();
    byte[] guard = dhcpServerReply();
    for (int i = 0; i < 200_000; i++) { // warm up: let the JIT compile the drop path
      sw.fromPort("vm1", guard, 0, guard.length);
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      sw.fromPort("vm1", guard, 0, guard.length);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(sw.drops().written()).isEqualTo(300_000);
    assertThat(allocated).as("bytes allocated for 100,000 drops").isLessThan(100_000);
  }

  @Test
  void aReaderNeverGetsARecordHalfOverwritten() throws Exception {
    DropRing ring = new DropRing(64, new MonotonicWallClock(0, () -> 0));
    AtomicBoolean done = new AtomicBoolean();
    Thread writer =
        Thread.ofPlatform()
            .start(() -> {
              ParsedFrame f = new ParsedFrame();
              f.etherType = 0x0800;
              f.ipVersion = 4;
              f.l4Protocol = 17;
              for (long s = 0; s < 3_000_000; s++) {
                f.srcLo = s & 0xFFFF_FFFFL;
                f.dstLo = s & 0xFFFF_FFFFL;
                f.srcPort = (int) (s & 0xFFFF);
                ring.record(s, DropReason.NO_ROUTE, null, f, (int) (s & 0xFFFFFF), s, 0, "x");
              }
              done.set(true);
            });
    AtomicLong checked = new AtomicLong();
    long cursor = 0;
    long lost = 0;
    while (!done.get() || cursor < ring.written()) {
      DropRing.Batch batch = ring.since(cursor, 32);
      for (DropRecord r : batch.records()) {
        long s = r.sequence();
        assertThat(r.generation()).isEqualTo(s);
        assertThat(r.vsid()).isEqualTo((int) (s & 0xFFFFFF));
        assertThat(r.sourcePort()).isEqualTo((int) (s & 0xFFFF));
        assertThat(ip(r.source()).v4Bits()).isEqualTo((int) s);
        checked.incrementAndGet();
      }
      lost += batch.lost();
      cursor = batch.next();
    }
    writer.join();
    assertThat(checked.get()).isPositive();
    assertThat(checked.get() + lost)
        .as("every drop is either read or counted lost")
        .isEqualTo(3_000_000);
  }
}
