package io.weft.diagnostics.reconciliation;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.OptionalLong;
import org.apache.commons.net.ntp.NTPUDPClient;
import org.apache.commons.net.ntp.NtpV3Packet;
import org.apache.commons.net.ntp.TimeInfo;

/** Measures this machine's clock offset against one NTP server with Commons Net. */
final class NtpProbe {

  private NtpProbe() {}

  /**
   * The offset in milliseconds (positive: this clock is behind the server), or empty when the
   * server does not answer in time.
   *
   * @param server {@code host} or {@code host:port} (IPv6 as {@code [addr]:port})
   */
  static OptionalLong offsetMs(String server, Duration timeout) {
    String host = server.strip();
    int port = NtpV3Packet.NTP_PORT;
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(':') == colon) {
      port = Integer.parseInt(host.substring(colon + 1));
      host = host.substring(0, colon);
    } else if (host.startsWith("[") && host.contains("]:")) {
      port = Integer.parseInt(host.substring(host.indexOf("]:") + 2));
      host = host.substring(1, host.indexOf(']'));
    }
    NTPUDPClient client = new NTPUDPClient();
    client.setDefaultTimeout(timeout);
    try {
      client.open();
      TimeInfo info = client.getTime(InetAddress.getByName(host), port);
      info.computeDetails();
      Long offset = info.getOffset();
      return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    } finally {
      client.close();
    }
  }
}
