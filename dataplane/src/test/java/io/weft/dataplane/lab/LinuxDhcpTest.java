package io.weft.dataplane.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.pipeline.LeaseEvent;
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
 * use the address at once.
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
