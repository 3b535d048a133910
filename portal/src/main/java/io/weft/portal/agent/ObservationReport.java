package io.weft.portal.agent;

import io.weft.diagnostics.HostObservations;
import io.weft.diagnostics.ObservedAddress;
import io.weft.fabric.InvalidRequestException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads the optional reconciliation fields of an agent's status report ({@code observedAddresses},
 * {@code providerAddress}, {@code clockOffsetMs}, {@code clockServer}; see TABLE-FORMAT.md). An
 * older agent sends none of them: then there is nothing to record.
 */
final class ObservationReport {

  private ObservationReport() {}

  static Optional<HostObservations> read(JsonNode root) {
    JsonNode list = root.get("observedAddresses");
    JsonNode pa = root.get("providerAddress");
    JsonNode offset = root.get("clockOffsetMs");
    if (absent(list) && absent(pa) && absent(offset)) {
      return Optional.empty();
    }
    List<ObservedAddress> addresses = new ArrayList<>();
    if (!absent(list)) {
      if (!list.isArray()) {
        throw new InvalidRequestException("observedAddresses must be a list", "observedAddresses");
      }
      for (JsonNode o : list) {
        addresses.add(
            new ObservedAddress(
                text(o, "portId"),
                o.path("vsid").asInt(-1),
                text(o, "mac"),
                text(o, "address"),
                text(o, "kind"),
                time(o, "firstSeen"),
                time(o, "lastSeen"),
                time(o, "leaseExpires")));
      }
    }
    if (!absent(offset) && !offset.canConvertToLong()) {
      throw new InvalidRequestException("clockOffsetMs must be a whole number", "clockOffsetMs");
    }
    return Optional.of(
        new HostObservations(
            absent(pa) ? null : pa.asString(),
            absent(offset) ? null : offset.longValue(),
            absent(root.get("clockServer")) ? null : root.get("clockServer").asString(),
            addresses));
  }

  private static boolean absent(JsonNode n) {
    return n == null || n.isNull();
  }

  private static String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    return absent(n) ? null : n.asString();
  }

  private static Instant time(JsonNode o, String field) {
    String text = text(o, field);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          field + " must be an ISO-8601 instant", "observedAddresses." + field);
    }
  }
}
