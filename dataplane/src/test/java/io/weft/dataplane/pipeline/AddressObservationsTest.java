package io.weft.dataplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.agent.LeaseBook;
import io.weft.dataplane.codec.Arp;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.MacAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the switch records of the addresses a port shows: sources it forwards, ARP announcements,
 * spoofed sources it drops (with the address tried), DHCP leases; bounded per port, first and last
 * seen kept.
 */
class AddressObservationsTest {

  private static final long VM_MAC = MacAddress.parse("02:00:00:00:00:10").value();
  private static final long PEER = MacAddress.parse("02:00:00:00:00:11").value();
  private static final SwitchOutput DISCARD =
      new SwitchOutput() {
        @Override
        public void toPort(String portId, byte[] b, int off, int len) {}

        @Override
        public void toUnderlay(int pa, byte[] b, int off, int len) {}
      };
  private long millis = Instant.parse("2026-12-04T12:00:00Z").toEpochMilli();
  private final LeaseBook book = new LeaseBook(LeaseAuthority.TABLE_ONLY);
  private final VirtualSwitch sw =
      new VirtualSwitch(VirtualSwitchTest.table(), DISCARD, book, () -> 0);

  private final AddressObservations observations = book.observations();

  @Test
  void sourcesAnnouncementsAndSpoofedAddressesAreRecordedWithFirstAndLastSeen() {
    AddressObservations timed = new AddressObservations(() -> millis);
    LeaseAuthority timedBook =
        new LeaseAuthority() {
          @Override
          public java.util.Optional<IpAddress> leaseFor(
              io.weft.dataplane.table.PortEntry port, io.weft.dataplane.table.VmSubnet subnet) {
            return java.util.Optional.empty();
          }

          @Override
          public void leaseEvent(LeaseEvent event) {}

          @Override
          public AddressObservations observations() {
            return timed;
          }
        };
    VirtualSwitch s = new VirtualSwitch(VirtualSwitchTest.table(), DISCARD, timedBook, () -> 0);
    s.fromPort("vm1", echo(ip("10.0.0.10")), 0, 74);
    millis += 5_000;
    s.fromPort("vm1", echo(ip("10.0.0.10")), 0, 74);
    s.fromPort("vm1", echo(ip("10.0.0.99")), 0, 74); // not the vNIC's: dropped
    byte[] arp = new byte[42];
    FrameWriter.arp(
        arp, 0, Ethernet.BROADCAST, Arp.OP_REQUEST, VM_MAC, ip("10.0.0.10"), 0, ip("10.0.0.11"));
    s.fromPort("vm1", arp, 0, 42);

    List<ObservedAddress> seen = timed.snapshot();
    assertThat(seen)
        .extracting(ObservedAddress::kind, ObservedAddress::address)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("SOURCE", "10.0.0.10"),
            org.assertj.core.groups.Tuple.tuple("SPOOF", "10.0.0.99"),
            org.assertj.core.groups.Tuple.tuple("ARP", "10.0.0.10"));
    ObservedAddress source =
        seen.stream().filter(o -> o.kind().equals("SOURCE")).findFirst().orElseThrow();
    assertThat(source.portId()).isEqualTo("vm1");
    assertThat(source.vsid()).isEqualTo(5001);
    assertThat(source.mac()).isEqualTo("02:00:00:00:00:10");
    assertThat(source.firstSeen()).isEqualTo("2026-12-04T12:00:00Z");
    assertThat(source.lastSeen()).isEqualTo("2026-12-04T12:00:05Z");
  }

  @Test
  void eachPortKeepsABoundedTableTheLeastRecentlySeenMakingRoom() {
    for (int i = 0; i < 50; i++) {
      sw.fromPort("vm1", echo(ip("10.0.0." + (100 + i))), 0, 74);
    }
    assertThat(observations.snapshot()).hasSize(AddressObservations.SLOTS);
  }

  @Test
  void leasesAreRecordedWithTheirExpiryAndReleasesToo() {
    book.leaseEvent(
        new LeaseEvent(
            LeaseEvent.Type.GRANTED,
            "vm1",
            MacAddress.parse("02:00:00:00:00:10"),
            5001,
            IpAddress.parse("10.0.0.10"),
            3600));
    book.leaseEvent(
        new LeaseEvent(
            LeaseEvent.Type.RELEASED,
            "vm1",
            MacAddress.parse("02:00:00:00:00:10"),
            5001,
            IpAddress.parse("10.0.0.10"),
            0));
    List<ObservedAddress> seen = observations.snapshot();
    assertThat(seen)
        .extracting(ObservedAddress::kind)
        .containsExactlyInAnyOrder("LEASE", "RELEASED");
    ObservedAddress lease =
        seen.stream().filter(o -> o.kind().equals("LEASE")).findFirst().orElseThrow();
    assertThat(Instant.parse(lease.leaseExpires()))
        .isBetween(Instant.now().plusSeconds(3590), Instant.now().plusSeconds(3610));
  }

  @Test
  void aRepeatedSightingAllocatesNothing() {
    byte[] frame = echo(ip("10.0.0.10"));
    sw.fromPort("vm1", frame, 0, 74);
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    var sun = (com.sun.management.ThreadMXBean) threads;
    long id = Thread.currentThread().threadId();
    int address = ip("10.0.0.10");
    for (int i = 0; i < 10_000; i++) {
      observations.v4(0, AddressObservations.SOURCE, address);
    }
    long before = sun.getThreadAllocatedBytes(id);
    for (int i = 0; i < 100_000; i++) {
      observations.v4(0, AddressObservations.SOURCE, address);
    }
    assertThat(sun.getThreadAllocatedBytes(id) - before).isLessThan(1024);
  }

  private static int ip(String text) {
    return (int) IpAddress.parse(text).lo();
  }

  private static byte[] echo(int src) {
    byte[] b = new byte[200];
    int len = FrameWriter.icmpEchoV4(b, 0, PEER, VM_MAC, src, ip("10.0.0.11"), 8, 1, 1, 32);
    return Arrays.copyOf(b, len);
  }
}
