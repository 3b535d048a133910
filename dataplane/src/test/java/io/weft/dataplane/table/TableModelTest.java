package io.weft.dataplane.table;

import static io.weft.dataplane.table.TableFixtures.ip;
import static io.weft.dataplane.table.TableFixtures.mac;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.testkit.SeededRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TableModelTest {

  @Test
  void addressesParseAndPrintCanonically() {
    assertThat(ip("10.1.2.3").toString()).isEqualTo("10.1.2.3");
    assertThat(ip("fd00:0:0:0:0:0:0:1").toString()).isEqualTo("fd00::1");
    assertThat(ip("2001:db8:0:0:1:0:0:1").toString()).isEqualTo("2001:db8::1:0:0:1");
    assertThat(ip("::").toString()).isEqualTo("::");
    assertThat(ip("fe80::1:2").toString()).isEqualTo("fe80::1:2");
    assertThat(mac("02:AB:00:00:00:01").toString()).isEqualTo("02:ab:00:00:00:01");
    assertThat(IpPrefix.parse("fd00:1::/64").contains(ip("fd00:1::9"))).isTrue();
    assertThat(IpPrefix.parse("10.0.0.0/24").contains(ip("10.0.1.9"))).isFalse();
    assertThatThrownBy(() -> IpPrefix.parse("10.0.0.1/24")).hasMessageContaining("host bits");
    assertThatThrownBy(() -> ip("example.com")).hasMessageContaining("not an IP address");
  }

  @Test
  void randomAddressesRoundTripThroughText() {
    Random r = SeededRandom.create("address text round trip");
    for (int i = 0; i < 2000; i++) {
      IpAddress a =
          r.nextBoolean()
              ? IpAddress.v4(r.nextInt())
              : IpAddress.v6(
                  r.nextInt(4) == 0 ? 0 : r.nextLong(), r.nextInt(4) == 0 ? 0 : r.nextLong());
      assertThat(IpAddress.parse(a.toString())).isEqualTo(a);
      assertThat(IpAddress.fromBytes(a.toBytes())).isEqualTo(a);
    }
  }

  @Test
  void snapshotRoundTripsThroughJson() {
    HostTable t = TableFixtures.oneNetwork(7);
    String json = TableJson.writeSnapshot(t);
    assertThat(json).contains("\"formatVersion\":1", "\"kind\":\"snapshot\"", "\"10.0.0.0/24\"");
    TableMessage m = TableJson.read(json);
    assertThat(m).isEqualTo(new TableMessage.Snapshot(t));
  }

  @Test
  void digestIgnoresListOrder() {
    HostTable t = TableFixtures.oneNetwork(7);
    VmNetworkTable n = t.networks().getFirst();
    List<LookupRecord> reversed = new ArrayList<>(n.lookupRecords());
    Collections.reverse(reversed);
    HostTable shuffled =
        new HostTable(
            t.hostId(),
            7,
            t.encapsulation(),
            t.localPa(),
            t.overlayMtu(),
            List.of(new VmNetworkTable(n.routingDomainId(), n.subnets(), reversed, n.ports())));
    assertThat(TableJson.digest(shuffled)).isEqualTo(TableJson.digest(t)).startsWith("sha256:");
    assertThat(TableJson.digest(t.withGeneration(8))).isNotEqualTo(TableJson.digest(t));
  }

  @Test
  void deltaAppliesAndBetweenInverts() {
    HostTable before = TableFixtures.oneNetwork(7);
    LookupRecord added =
        new LookupRecord(5001, ip("10.0.0.12"), mac("02:00:00:00:00:12"), ip("192.168.1.3"));
    TableDelta delta =
        new TableDelta(
            7,
            8,
            null,
            List.of(),
            List.of(
                new VmNetworkChange(
                    TableFixtures.TENANT_A,
                    List.of(),
                    List.of(),
                    List.of(added),
                    List.of(ip("10.0.0.11")),
                    List.of(),
                    List.of())));
    HostTable after = delta.applyTo(before);
    assertThat(after.generation()).isEqualTo(8);
    assertThat(after.networks().getFirst().lookupRecords())
        .extracting(LookupRecord::ca)
        .containsExactlyInAnyOrder(ip("10.0.0.10"), ip("10.0.0.12"));
    TableDelta derived = TableDelta.between(before, after);
    assertThat(TableJson.digest(derived.applyTo(before))).isEqualTo(TableJson.digest(after));
    TableMessage parsed = TableJson.read(TableJson.writeDelta(delta));
    assertThat(parsed).isEqualTo(new TableMessage.Delta(delta));
  }

  @Test
  void deltaOnWrongGenerationOrBackwardsIsRejected() {
    HostTable t = TableFixtures.oneNetwork(7);
    assertThatThrownBy(() -> new TableDelta(6, 8, null, List.of(), List.of()).applyTo(t))
        .isInstanceOf(InvalidTableException.class)
        .hasMessageContaining("does not apply to generation 7");
    assertThatThrownBy(() -> new TableDelta(7, 7, null, List.of(), List.of()).applyTo(t))
        .hasMessageContaining("backwards");
    assertThatThrownBy(
            () -> new TableDelta(7, 8, null, List.of(TableFixtures.TENANT_B), List.of()).applyTo(t))
        .hasMessageContaining("unknown VM network");
  }

  @Test
  void validatorNamesEachInconsistency() {
    HostTable t = TableFixtures.oneNetwork(1);
    VmNetworkTable n = t.networks().getFirst();
    LookupRecord unknownVsid =
        new LookupRecord(9999, ip("10.0.0.20"), mac("02:00:00:00:00:20"), ip("192.168.1.2"));
    LookupRecord duplicateCa =
        new LookupRecord(5001, ip("10.0.0.10"), mac("02:00:00:00:00:21"), ip("192.168.1.2"));
    PortEntry strayPort =
        PortEntry.guarded("vm-9", 7777, mac("02:00:00:00:00:99"), AddressingMode.STATIC, List.of());
    assertThat(problems(t, n, List.of(unknownVsid), List.of()))
        .anyMatch(s -> s.contains("unknown VSID 9999"));
    assertThat(problems(t, n, List.of(duplicateCa), List.of()))
        .anyMatch(s -> s.contains("duplicate CA 10.0.0.10"));
    assertThat(problems(t, n, List.of(), List.of(strayPort)))
        .anyMatch(s -> s.contains("port vm-9 on unknown subnet VSID 7777"));
    HostTable sameVsidTwice =
        new HostTable(
            "h",
            1,
            Encapsulation.VXLAN,
            ip("192.168.1.1"),
            1450,
            List.of(
                n, new VmNetworkTable(TableFixtures.TENANT_B, n.subnets(), List.of(), List.of())));
    assertThat(TableValidator.problems(sameVsidTwice)).anyMatch(s -> s.contains("VSID 5001 also"));
    assertThat(TableValidator.problems(t)).isEmpty();
  }

  @Test
  void malformedJsonIsRejectedWithAReason() {
    assertThatThrownBy(() -> TableJson.read("{"))
        .isInstanceOf(InvalidTableException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> TableJson.read("{\"formatVersion\":2,\"kind\":\"snapshot\"}"))
        .hasMessageContaining("formatVersion");
    String bad =
        TableJson.writeSnapshot(TableFixtures.oneNetwork(1)).replace("10.0.0.0/24", "10.0.0.0/99");
    assertThatThrownBy(() -> TableJson.read(bad))
        .isInstanceOf(InvalidTableException.class)
        .hasMessageContaining("prefix length 99");
  }

  private static List<String> problems(
      HostTable t, VmNetworkTable n, List<LookupRecord> extraRecords, List<PortEntry> extraPorts) {
    List<LookupRecord> records = new ArrayList<>(n.lookupRecords());
    records.addAll(extraRecords);
    List<PortEntry> ports = new ArrayList<>(n.ports());
    ports.addAll(extraPorts);
    return TableValidator.problems(
        new HostTable(
            t.hostId(),
            t.generation(),
            t.encapsulation(),
            t.localPa(),
            t.overlayMtu(),
            List.of(new VmNetworkTable(n.routingDomainId(), n.subnets(), records, ports))));
  }
}
