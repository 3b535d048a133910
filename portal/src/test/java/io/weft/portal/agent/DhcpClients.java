package io.weft.portal.agent;

import io.weft.dataplane.lab.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Real DHCP clients in lab VMs, in the foreground until stopped: busybox udhcpc (renews on SIGUSR1)
 * and ISC dhclient (told to renew after 2 s: the fabric's shortest lease is 60 s). Their scripts
 * configure the interface and append one line per BOUND/RENEW to a file, {@code REASON ip=...
 * lease=... mtu=...}.
 */
final class DhcpClients {

  private static final String UDHCPC_SCRIPT =
      """
      #!/bin/sh
      case "$1" in
        bound|renew)
          ip addr replace "$ip/$mask" dev "$interface"
          ip route replace default via "$router"
          echo "$1 ip=$ip lease=$lease router=$router mtu=$mtu" >> %s
          ;;
      esac
      """;

  private static final String DHCLIENT_SCRIPT =
      """
      #!/bin/sh
      case "$reason" in
        BOUND|RENEW)
          ip addr replace "$new_ip_address/24" dev "$interface"
          ip route replace default via "$new_routers"
          echo "$reason ip=$new_ip_address lease=$new_dhcp_lease_time mtu=$new_interface_mtu" >> %s
          ;;
      esac
      """;

  private Path script(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  static String awaitLine(Path file, String prefix) throws Exception {
    String[] found = {null};
    FabricLab.await(
        () -> {
          try {
            found[0] =
                !Files.exists(file)
                    ? null
                    : Files.readAllLines(file).stream()
                        .filter(l -> l.startsWith(prefix))
                        .findFirst()
                        .orElse(null);
          } catch (IOException e) {
            return false;
          }
          return found[0] != null;
        },
        "'" + prefix + "' in " + file.getFileName());
    return found[0];
  }

  static String field(String line, String name) {
    for (String part : line.split(" ")) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    throw new AssertionError("no " + name + " in " + line);
  }

  private final Lab lab;
  private final Path dir;

  DhcpClients(Lab lab, Path dir) {
    this.lab = lab;
    this.dir = dir;
  }

  Process udhcpc(String ns, String iface, Path out) throws Exception {
    return lab.spawn(
        ns,
        "busybox",
        "udhcpc",
        "-f",
        "-i",
        iface,
        "-t",
        "10",
        "-T",
        "1",
        "-O",
        "mtu",
        "-s",
        script("udhcpc.sh", UDHCPC_SCRIPT.formatted(out)).toString());
  }

  Process dhclient(String ns, String iface, Path out) throws Exception {
    Path conf = dir.resolve("dhclient.conf");
    Files.writeString(
        conf,
        """
        timeout 20;
        retry 1;
        initial-interval 1;
        supersede dhcp-renewal-time 2;
        request subnet-mask, routers, domain-name-servers, interface-mtu;
        """);
    return lab.spawn(
        ns,
        "dhclient",
        "-d",
        "-v",
        "-cf",
        conf.toString(),
        "-sf",
        script("dhclient.sh", DHCLIENT_SCRIPT.formatted(out)).toString(),
        "-lf",
        dir.resolve("dhclient.leases").toString(),
        "-pf",
        dir.resolve("dhclient.pid").toString(),
        iface);
  }
}
