package io.weft.portal.agent;

import io.weft.diagnostics.ReportedDrop;
import io.weft.fabric.InvalidRequestException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads the optional {@code dropRecords} field of an agent's status report (TABLE-FORMAT.md, "Drop
 * records"). An older agent, or one with nothing new, sends none.
 */
final class DropReportReader {

  private DropReportReader() {}

  /** What the report carries: records lost by the agent's ring, and the records. */
  record Report(long lost, List<ReportedDrop> records) {}

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
    return Optional.of(new Report(absent(lost) ? 0 : lost.longValue(), records));
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
