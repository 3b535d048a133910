package io.weft.portal.agent;

import io.weft.diagnostics.ReportedDrop;
import io.weft.fabric.InvalidRequestException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Reads the optional {@code dropRecords} field of an agent's status report (TABLE-FORMAT.md, "Drop
 * records"). An older agent, or one with nothing new, sends none.
 */
final class DropReportReader {

  private DropReportReader() {}

  /** Most VSIDs one report may name losses for (a host's ring counts at most 1024 apart). */
  static final int MAX_LOST_VSIDS = 4096;

  /** What the report carries: records lost by the agent's ring (per VSID too), the records. */
  record Report(long lost, Map<Integer, Long> lostByVsid, List<ReportedDrop> records) {}

  static Optional<Report> read(JsonNode root) {
    JsonNode field = root.get("dropRecords");
    if (absent(field)) {
      return Optional.empty();
    }
    if (!field.isObject()) {
      throw new InvalidRequestException("dropRecords must be an object", "dropRecords");
    }
    JsonNode lost = field.get("lost");
    if (!absent(lost) && !lost.canConvertToLong()) {
      throw new InvalidRequestException("lost must be a whole number", "dropRecords.lost");
    }
    JsonNode list = field.get("records");
    List<ReportedDrop> records = new ArrayList<>();
    if (!absent(list)) {
      if (!list.isArray()) {
        throw new InvalidRequestException("records must be a list", "dropRecords.records");
      }
      for (JsonNode r : list) {
        records.add(
            new ReportedDrop(
                r.path("sequence").asLong(-1),
                time(r),
                text(r, "portId"),
                r.path("vsid").asInt(0),
                text(r, "source"),
                text(r, "destination"),
                text(r, "protocol"),
                r.path("sourcePort").asInt(0),
                r.path("destinationPort").asInt(0),
                text(r, "reason"),
                text(r, "decidedBy"),
                r.path("generation").asLong(0),
                text(r, "outerSource")));
      }
    }
    return Optional.of(
        new Report(
            absent(lost) ? 0 : lost.longValue(), lostByVsid(field.get("lostByVsid")), records));
  }

  private static Map<Integer, Long> lostByVsid(JsonNode field) {
    String name = "dropRecords.lostByVsid";
    Map<Integer, Long> out = new TreeMap<>();
    if (absent(field)) {
      return out;
    }
    if (!field.isObject() || field.size() > MAX_LOST_VSIDS) {
      throw new InvalidRequestException(
          "lostByVsid must be an object of at most " + MAX_LOST_VSIDS + " VSIDs", name);
    }
    for (var e : field.properties()) {
      int vsid;
      try {
        vsid = Integer.parseInt(e.getKey());
      } catch (NumberFormatException bad) {
        vsid = -1;
      }
      if (vsid < 0 || vsid > 16_777_215) {
        throw new InvalidRequestException("lostByVsid keys must be VSIDs (0..16777215)", name);
      }
      JsonNode n = e.getValue();
      if (!n.canConvertToLong() || n.longValue() < 0) {
        throw new InvalidRequestException("lostByVsid counts must be 0 or more", name);
      }
      out.merge(vsid, n.longValue(), Long::sum);
    }
    return out;
  }

  private static boolean absent(JsonNode n) {
    return n == null || n.isNull();
  }

  private static String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    return absent(n) ? null : n.asString();
  }

  private static Instant time(JsonNode r) {
    String text = text(r, "at");
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException("at must be an ISO-8601 instant", "dropRecords.records.at");
    }
  }
}
