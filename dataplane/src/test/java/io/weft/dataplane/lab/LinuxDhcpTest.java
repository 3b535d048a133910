package io.weft.dataplane.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.backend.linux.LinuxHost;
import io.weft.dataplane.pipeline.DropReason;
import io.weft.dataplane.pipeline.LeaseEvent;
import io.weft.dataplane.pipeline.PortCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real DHCP clients in VM namespaces (busybox udhcpc and ISC dhclient) get their leases from the
 * agent's responder over a TAP port: the address the fabric assigned, the distributed gateway as
 * router, the subnet's DNS server and the overlay MTU; the agent records the lease, and the VM can
 * use the address at once. DISCOVERs with bad options are dropped and counted as malformed, with
 * what was wrong, and the VM's next genuine DHCP exchange still succeeds.
 */
@ExtendWith(SharedLab.class)
class LinuxDhcpTest {

  private static final Duration T = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void busyboxUdhcpcGetsAddressRouterDnsAndMtu() throws IOException {
    Path script =
        executable(
            "udhcpc.sh",
            """
            #!/bin/sh
            case "$1" in
              bound|renew)
                ip addr flush dev "$interface"
                ip addr add "$ip/$mask" dev "$interface"
                ip route replace default via "$router"
                echo "LEASE ip=$ip mask=$mask router=$router dns=$dns mtu=$mtu"
                ;;
            esac
            """);
    Lab.Result r =
        SharedLab.cloud()
            .exec(
                "d1",
                T,
                "busybox",
                "udhcpc",
                "-i",
                "eth0",
                "-f",
                "-q",
                "-n",
                "-t",
                "5",
                "-T",
                "1",
                "-A",
                "1",
                "-O",
                "mtu",
                "-s",
                script.toString());
    assertThat(r.ok()).as(r.output()).isTrue();
    assertThat(r.output())
        .contains("LEASE ip=10.0.0.100 mask=24 router=10.0.0.1 dns=10.255.0.53 mtu=1400");
    assertLeaseRecorded("h2", "d1", "10.0.0.100");
    Lab.Result ping = SharedLab.cloud().exec("d1", T, "ping", "-c", "1", "-W", "2", "10.0.0.10");
    assertThat(ping.ok()).as(ping.output()).isTrue();
  }

  @Test
  void iscDhclientGetsAddressRouterDnsAndMtu() throws IOException {
    Path out = dir.resolve("dhclient.out");
    Path script =
        executable(
            "dhclient.sh",
            """
            #!/bin/sh
            case "$reason" in
              BOUND|RENEW|REBOOT)
                ip addr add "$new_ip_address/24" dev "$interface"
                echo "LEASE ip=$new_ip_address mask=$new_subnet_mask router=$new_routers \
            dns=$new_domain_name_servers mtu=$new_interface_mtu" >> %s
                ;;
            esac
            """
                .formatted(out));
    Path conf = dir.resolve("dhclient.conf");
    Files.writeString(
        conf,
        """
        timeout 20;
        retry 1;
        initial-interval 1;
        request subnet-mask, routers, domain-name-servers, interface-mtu;
        """);
    Path pid = dir.resolve("dhclient.pid");
    Lab.Result r =
        SharedLab.cloud()
            .exec(
                "d2",
                T,
                "dhclient",
                "-1",
                "-v",
                "-cf",
                conf.toString(),
                "-sf",
                script.toString(),
                "-lf",
                dir.resolve("leases").toString(),
                "-pf",
                pid.toString(),
                "eth0");
    try {
      assertThat(r.ok()).as(r.output()).isTrue();
      assertThat(Files.readString(out))
          .contains(
              "LEASE ip=10.0.0.101 mask=255.255.255.0 router=10.0.0.1 dns=10.255.0.53 mtu=1400");
      assertLeaseRecorded("h1", "d2", "10.0.0.101");
    } finally {
      SharedLab.cloud()
          .exec(
              "d2",
              T,
              "dhclient",
              "-x",
              "-cf",
              conf.toString(),
              "-sf",
              "/bin/true",
              "-pf",
              pid.toString(),
              "eth0");
    }
  }

  /** DISCOVERs from d1 (its own MAC) that no DHCP server should take. */
  private static final String BAD_DHCP =
      """
      from scapy.layers.l2 import Ether
      from scapy.layers.inet import IP, UDP
      from scapy.layers.dhcp import BOOTP
      from scapy.sendrecv import sendp
      mac = "02:0a:00:00:00:d1"
      def discover(options):
          return (Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")
                  / IP(src="0.0.0.0", dst="255.255.255.255") / UDP(sport=68, dport=67)
                  / BOOTP(op=1, xid=0x5eed, chaddr=bytes.fromhex(mac.replace(":", "")) + bytes(10),
                          options=options))
      cookie = bytes.fromhex("63825363")
      sendp([discover(b""),                             # no magic cookie
             discover(cookie + bytes([53])),            # an option cut off before its length
             discover(cookie + bytes([53, 1])),         # message type without its value
             discover(cookie + bytes([53, 2, 1, 1, 255]))],  # message type of length 2
            iface="eth0", verbose=False)
      """;

  @Test
  void malformedDhcpFromAVmIsDroppedAndCountedWhileItsGoodDhcpStillWorks() throws IOException {
    LinuxHost h2 = SharedLab.cloud().host("h2").backend();
    long before = SharedLab.cloud().counters("h2").ports().get("d1").dropped(DropReason.MALFORMED);
    long ring = h2.drops().written();
    Lab.Result sent = SharedLab.cloud().exec("d1", T, "/usr/bin/python3", "-c", BAD_DHCP);
    assertThat(sent.ok()).as(sent.output()).isTrue();
    PortCounters d1 = SharedLab.cloud().counters("h2").ports().get("d1");
    assertThat(d1.dropped(DropReason.MALFORMED)).isEqualTo(before + 4);
    assertThat(h2.drops().since(ring, 100).records())
        .filteredOn(r -> "d1".equals(r.portId()) && r.reason() == DropReason.MALFORMED)
        .extracting(r -> r.decidedBy().replaceFirst(" \\(table generation \\d+\\)$", ""))
        .containsExactly(
            "not a DHCP request (truncated, no magic cookie or not BOOTREQUEST)",
            "no valid message-type option (absent, truncated or of the wrong length)",
            "no valid message-type option (absent, truncated or of the wrong length)",
            "no valid message-type option (absent, truncated or of the wrong length)");
    busyboxUdhcpcGetsAddressRouterDnsAndMtu();
  }

  private static void assertLeaseRecorded(String host, String port, String address) {
    assertThat(SharedLab.cloud().host(host).agent().status().leases())
        .anySatisfy(e -> {
          assertThat(e.portId()).isEqualTo(port);
          assertThat(e.address().toString()).isEqualTo(address);
          assertThat(e.type()).isIn(LeaseEvent.Type.GRANTED, LeaseEvent.Type.RENEWED);
        });
  }

  private Path executable(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }
}
