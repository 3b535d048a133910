package io.weft.portal;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The hops of a probe's or a trace's answer (the API's JSON) as tests compare them, one string a
 * hop: "source host REQUEST ENCAPSULATE" (host, direction, stage).
 */
public final class Hops {

  /** The stages where a packet leaves one host's switch and reaches another's VM. */
  private static final List<String> BETWEEN_HOSTS =
      List.of("ENCAPSULATE", "DECAPSULATE", "DELIVER");

  private Hops() {}

  /** Every hop of a probe, in order. */
  public static List<String> probed(JsonNode probe) {
    List<String> hops = new ArrayList<>();
    for (JsonNode h : probe.path("hops")) {
      hops.add(
          h.path("host").asString()
              + " "
              + h.path("direction").asString()
              + " "
              + h.path("stage").asString());
    }
    return hops;
  }

  /** A probe's hops between hosts (encapsulate, decapsulate, deliver), in order. */
  public static List<String> probedBetweenHosts(JsonNode probe) {
    return probed(probe).stream().filter(h -> BETWEEN_HOSTS.contains(stage(h))).toList();
  }

  /**
   * A trace's steps between hosts, named as a probe names its hops (a trace says "the source host"
   * and FORWARD where a probe says "source host" and REQUEST); its ARP steps are left out.
   */
  public static List<String> traced(JsonNode trace) {
    List<String> hops = new ArrayList<>();
    for (JsonNode s : trace.path("steps")) {
      String stage = s.path("stage").asString();
      if (BETWEEN_HOSTS.contains(stage) && !s.path("detail").asString().startsWith("ARP for")) {
        String direction = s.path("direction").asString().equals("FORWARD") ? "REQUEST" : "REPLY";
        hops.add(s.path("host").asString().replace("the ", "") + " " + direction + " " + stage);
      }
    }
    return hops;
  }

  private static String stage(String hop) {
    return hop.substring(hop.lastIndexOf(' ') + 1);
  }
}
