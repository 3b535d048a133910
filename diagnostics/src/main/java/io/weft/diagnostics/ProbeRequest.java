package io.weft.diagnostics;

/**
 * A live probe to start: ICMP echoes injected at the source vNIC as if its VM sent them.
 *
 * @param sourceVnicId the vNIC the probe leaves from (required)
 * @param destination the IPv4 address to probe (required)
 * @param count how many echoes to inject, 1..5 (default 1); never more are sent
 * @param timeoutMs how long to wait for the replies, 200..5000 ms (default 2000)
 */
public record ProbeRequest(
    String sourceVnicId, String destination, Integer count, Integer timeoutMs) {

  public static ProbeRequest ping(String sourceVnicId, String destination) {
    return new ProbeRequest(sourceVnicId, destination, null, null);
  }
}
