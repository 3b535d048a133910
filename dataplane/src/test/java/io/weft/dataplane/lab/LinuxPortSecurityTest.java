package io.weft.dataplane.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.dataplane.pipeline.DropReason;
import io.weft.dataplane.pipeline.PortCounters;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Port security on real packets: VM a1 sends, with scapy on its own {@code eth0}, frames with a
 * spoofed source IP or MAC, a rogue DHCP offer and a rogue router advertisement. Its host's agent
 * drops and counts each by reason, and a listener in VM a2 (another host) receives only the genuine
 * frame sent alongside.
 */
@ExtendWith(SharedLab.class)
class LinuxPortSecurityTest {

  private static final Duration T = Duration.ofSeconds(20);

  private static final String SEND =
      """
      import sys
      from scapy.layers.l2 import Ether
      from scapy.layers.inet import IP, UDP
      from scapy.layers.dhcp import BOOTP, DHCP
      from scapy.layers.inet6 import IPv6, ICMPv6ND_RA, ICMPv6NDOptPrefixInfo
      from scapy.sendrecv import sendp
      me_mac, me_ip, a2_mac = "02:0a:00:00:00:01", "10.0.0.10", "02:0a:00:00:00:02"
      def udp(src_mac, src_ip, sport, dport, payload, dst_mac=a2_mac, dst_ip="10.0.0.11"):
          return (Ether(src=src_mac, dst=dst_mac) / IP(src=src_ip, dst=dst_ip)
                  / UDP(sport=sport, dport=dport) / payload)
      offer = (BOOTP(op=2, yiaddr="10.0.0.66", chaddr=bytes.fromhex("020a000000d1") + bytes(10))
               / DHCP(options=[("message-type", "offer"), ("router", "10.0.0.10"), "end"]))
      ra = (ICMPv6ND_RA(routerlifetime=1800)
            / ICMPv6NDOptPrefixInfo(prefix="2001:db8:66::", prefixlen=64))
      frames = {
          "spoof": [udp(me_mac, "10.0.0.99", 40000, 9999, b"spoofed-ip"),
                    udp("02:0a:00:00:00:99", me_ip, 40000, 9999, b"spoofed-mac"),
                    udp(me_mac, me_ip, 40000, 9999, b"genuine")],
          "dhcp": [udp(me_mac, me_ip, 67, 68, offer),
                   udp(me_mac, me_ip, 67, 68, offer, "ff:ff:ff:ff:ff:ff", "255.255.255.255"),
                   udp(me_mac, me_ip, 40000, 68, b"genuine")],
          "ra": [Ether(src=me_mac, dst=a2_mac) / IPv6(src="fe80::a:ff:fe00:1", dst="ff02::1") / ra,
                 Ether(src=me_mac, dst="33:33:00:00:00:01")
                 / IPv6(src="fe80::a:ff:fe00:1", dst="ff02::1") / ra],
      }
      sendp(frames[sys.argv[1]], iface="eth0", verbose=False)
      """;

  private static final String LISTEN =
      """
      import socket, sys, time
      s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
      s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      s.bind(("0.0.0.0", int(sys.argv[1])))
      s.settimeout(0.2)
      print("ready", flush=True)
      end = time.time() + float(sys.argv[2])
      while time.time() < end:
          try:
              data, _ = s.recvfrom(2048)
              print(data[-16:].decode(errors="replace").strip("\\x00"), flush=True)
          except socket.timeout:
              pass
      """;

  /** Starts a UDP listener in a2, runs {@code mode}'s frames from a1, returns what a2 received. */
  private static List<String> sendFromA1(String mode, int listenPort) throws Exception {
    Process listener =
        SharedLab.cloud()
            .lab()
            .spawn(Lab.PREFIX + "a2", "python3", "-c", LISTEN, Integer.toString(listenPort), "2");
    BufferedReader out =
        new BufferedReader(
            new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("ready");
    Lab.Result sent = SharedLab.cloud().exec("a1", T, "/usr/bin/python3", "-c", SEND, mode);
    assertThat(sent.ok()).as(sent.output()).isTrue();
    assertThat(listener.waitFor(10, TimeUnit.SECONDS)).isTrue();
    List<String> got = new ArrayList<>();
    for (String line; (line = out.readLine()) != null; ) {
      got.add(line);
    }
    return got;
  }

  private static PortCounters a1() {
    return SharedLab.cloud().counters("h1").ports().get("a1");
  }

  @Test
  void spoofedSourceIpAndMacAreDroppedCountedAndNeverArrive() throws Exception {
    long before = a1().dropped(DropReason.SPOOFED_SOURCE);
    List<String> received = sendFromA1("spoof", 9999);
    assertThat(received).containsExactly("genuine");
    assertThat(a1().dropped(DropReason.SPOOFED_SOURCE)).isGreaterThanOrEqualTo(before + 2);
  }

  @Test
  void aRogueDhcpServerInAVmIsDroppedAndCounted() throws Exception {
    long before = a1().dropped(DropReason.DHCP_GUARD);
    List<String> received = sendFromA1("dhcp", 68);
    assertThat(received).containsExactly("genuine");
    assertThat(a1().dropped(DropReason.DHCP_GUARD)).isGreaterThanOrEqualTo(before + 2);
  }

  @Test
  void aRogueRouterAdvertisementIsDroppedAndNeverReachesAnotherVm() throws IOException {
    long before = a1().dropped(DropReason.ROUTER_GUARD);
    Lab.Result sent = SharedLab.cloud().exec("a1", T, "/usr/bin/python3", "-c", SEND, "ra");
    assertThat(sent.ok()).as(sent.output()).isTrue();
    assertThat(a1().dropped(DropReason.ROUTER_GUARD)).isGreaterThanOrEqualTo(before + 2);
    // Had it arrived, a2's kernel would have taken the prefix and a default route from it.
    Lab.Result routes = SharedLab.cloud().exec("a2", T, "ip", "-6", "route", "show");
    assertThat(routes.output()).doesNotContain("2001:db8:66").doesNotContain("default");
  }
}
