package io.weft.portal.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The replies in the output of {@code ping -D}: per sequence number, when the reply arrived and
 * when its request left (arrival less round trip), in epoch milliseconds, so a test can line pings
 * up with what it did meanwhile. Sequence numbers without a reply were lost.
 */
record PingLog(int transmitted, TreeMap<Integer, Reply> replies) {

  private static final Pattern REPLY =
      Pattern.compile("\\[(\\d+\\.\\d+)] \\d+ bytes from .*icmp_seq=(\\d+) .*time=([\\d.]+) ms");
  private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted");

  /** One answered ping. */
  record Reply(int seq, double sentAtMillis, double receivedAtMillis) {}

  static PingLog parse(String output) {
    TreeMap<Integer, Reply> replies = new TreeMap<>();
    Matcher m = REPLY.matcher(output);
    while (m.find()) {
      double received = Double.parseDouble(m.group(1)) * 1000;
      int seq = Integer.parseInt(m.group(2));
      double rtt = Double.parseDouble(m.group(3));
      replies.putIfAbsent(seq, new Reply(seq, received - rtt, received));
    }
    Matcher s = SUMMARY.matcher(output);
    int transmitted = s.find() ? Integer.parseInt(s.group(1)) : replies.lastKey();
    return new PingLog(transmitted, replies);
  }

  /** Sequence numbers (1..transmitted) that got no reply. */
  List<Integer> lost() {
    List<Integer> lost = new ArrayList<>();
    for (int seq = 1; seq <= transmitted; seq++) {
      if (!replies.containsKey(seq)) {
        lost.add(seq);
      }
    }
    return lost;
  }

  /** When a request left: its reply's send time, or interpolated between its neighbours'. */
  double sentAtMillis(int seq) {
    Reply r = replies.get(seq);
    if (r != null) {
      return r.sentAtMillis();
    }
    var before = replies.lowerEntry(seq);
    var after = replies.higherEntry(seq);
    if (before == null) {
      return after.getValue().sentAtMillis() - (after.getKey() - seq) * 10.0;
    }
    if (after == null) {
      return before.getValue().sentAtMillis() + (seq - before.getKey()) * 10.0;
    }
    double span = after.getValue().sentAtMillis() - before.getValue().sentAtMillis();
    return before.getValue().sentAtMillis()
        + span * (seq - before.getKey()) / (after.getKey() - before.getKey());
  }

  /** The first reply that arrived at or after {@code epochMillis}, or null. */
  Reply firstReplyAfter(double epochMillis) {
    return replies.values().stream()
        .filter(r -> r.receivedAtMillis() >= epochMillis)
        .min(java.util.Comparator.comparingDouble(Reply::receivedAtMillis))
        .orElse(null);
  }
}
