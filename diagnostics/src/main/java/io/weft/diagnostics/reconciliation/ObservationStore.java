package io.weft.diagnostics.reconciliation;

import io.weft.diagnostics.HostObservations;
import io.weft.diagnostics.ObservedAddress;
import io.weft.fabric.HostId;
import io.weft.fabric.InvalidRequestException;
import io.weft.ipam.IpAddressValue;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Merges what agents report into {@code recon_observation} (first seen kept, last seen advanced)
 * and {@code recon_host_report}. Reports are bounded by the agent; this bounds them again.
 */
@Component
class ObservationStore {

  static final int MAX_PER_REPORT = 4096;
  private static final int STORE_ATTEMPTS = 4;
  private static final Set<String> KINDS =
      Set.of("SOURCE", "ARP", "ND", "LEASE", "RELEASED", "SPOOF");

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Clock clock;

  ObservationStore(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
  }

  void record(HostId host, HostObservations report) {
    var addresses =
        report.addresses() == null ? java.util.List.<ObservedAddress>of() : report.addresses();
    if (addresses.size() > MAX_PER_REPORT) {
      throw new InvalidRequestException(
          "at most " + MAX_PER_REPORT + " observed addresses per report", "observedAddresses");
    }
    for (ObservedAddress o : addresses) {
      validate(o);
    }
    Instant now = clock.instant();
    for (int attempt = 1; ; attempt++) {
      try {
        transactions.executeWithoutResult(tx -> {
          lockHost(host, now);
          if (report.providerAddress() != null || report.clockOffsetMs() != null) {
            writeHostReport(host, report, now);
          }
          for (ObservedAddress o : addresses) {
            upsertObservation(host, o);
          }
        });
        return;
      } catch (DuplicateKeyException | ConcurrencyFailureException e) {
        // two reports of one host at once (an agent resending after a lost answer, coalesced
        // lease reports): the loser of the race for the host's first row, or of a lock wait,
        // is rolled back and stored again, then updating what the other stored
        if (attempt == STORE_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * Takes the host's {@code recon_host_report} row for this transaction (made, with nothing
   * reported in it, if it is new), so that two reports of one host are stored one after the other:
   * each merges its observations into what the other stored instead of both inserting the same new
   * ones (a duplicate key), or updating the same ones in another order (a deadlock). A row with no
   * provider address nor clock offset reads as nothing reported.
   */
  private void lockHost(HostId host, Instant now) {
    int n =
        jdbc.sql("UPDATE recon_host_report SET host_id = host_id WHERE host_id = :h")
            .param("h", host.value())
            .update();
    if (n == 0) { // two first reports racing here: one gets a duplicate key and is tried again
      jdbc.sql("INSERT INTO recon_host_report (host_id, reported_at) VALUES (:h, :at)")
          .param("h", host.value())
          .param("at", Timestamp.from(now))
          .update();
    }
  }

  /** Writes the host's reported address and clock into its row, there since lockHost. */
  private void writeHostReport(HostId host, HostObservations report, Instant now) {
    Map<String, Object> row = new HashMap<>(); // the address, offset and server may be null
    row.put("pa", report.providerAddress());
    row.put("offset", report.clockOffsetMs());
    row.put("server", report.clockServer());
    row.put("at", Timestamp.from(now));
    row.put("h", host.value());
    jdbc.sql(
            "UPDATE recon_host_report SET provider_address = :pa, clock_offset_ms = :offset,"
                + " clock_server = :server, reported_at = :at WHERE host_id = :h")
        .params(row)
        .update();
  }

  private void upsertObservation(HostId host, ObservedAddress o) {
    Map<String, Object> row = row(host, o);
    int n =
        jdbc.sql(
                "UPDATE recon_observation SET last_seen_at = CASE WHEN last_seen_at < :last THEN"
                    + " :last ELSE last_seen_at END, first_seen_at = CASE WHEN first_seen_at > :first"
                    + " THEN :first ELSE first_seen_at END, vsid = :vsid, mac = :mac,"
                    + " lease_expires_at = :lease WHERE host_id = :h AND port_id = :port AND address"
                    + " = :address AND kind = :kind")
            .params(row)
            .update();
    if (n == 0) {
      jdbc.sql(
              "INSERT INTO recon_observation (host_id, port_id, address, kind, vsid, mac,"
                  + " first_seen_at, last_seen_at, lease_expires_at) VALUES (:h, :port, :address,"
                  + " :kind, :vsid, :mac, :first, :last, :lease)")
          .params(row)
          .update();
    }
  }

  /** An observation's columns by parameter name, for its update and its insert alike. */
  private static Map<String, Object> row(HostId host, ObservedAddress o) {
    Map<String, Object> row = new HashMap<>(); // vsid, mac and lease may be null
    row.put("last", Timestamp.from(o.lastSeenAt()));
    row.put("first", Timestamp.from(o.firstSeenAt()));
    row.put("vsid", o.vsid());
    row.put("mac", o.mac());
    row.put("lease", o.leaseExpiresAt() == null ? null : Timestamp.from(o.leaseExpiresAt()));
    row.put("h", host.value());
    row.put("port", o.portId());
    row.put("address", IpAddressValue.parse(o.address()).toString());
    row.put("kind", o.kind());
    return row;
  }

  /** Forgets observations not seen again since {@code before}. */
  int prune(Instant before) {
    return jdbc.sql("DELETE FROM recon_observation WHERE last_seen_at < :before")
        .param("before", Timestamp.from(before))
        .update();
  }

  private static void validate(ObservedAddress o) {
    String f = "observedAddresses";
    if (o == null) {
      throw new InvalidRequestException("an observed address is null", f);
    }
    if (o.portId() == null || o.portId().isBlank() || o.portId().length() > 64) {
      throw new InvalidRequestException(
          "portId is required (at most 64 characters)", f + ".portId");
    }
    if (o.kind() == null || !KINDS.contains(o.kind())) {
      throw new InvalidRequestException("kind must be one of " + KINDS, f + ".kind");
    }
    if (o.address() == null) {
      throw new InvalidRequestException("address is required", f + ".address");
    }
    try {
      IpAddressValue.parse(o.address(), f + ".address");
    } catch (io.weft.ipam.IpamException e) {
      throw new InvalidRequestException(
          "address '" + o.address() + "' is not an IP address", f + ".address");
    }
    if (o.firstSeenAt() == null
        || o.lastSeenAt() == null
        || o.lastSeenAt().isBefore(o.firstSeenAt())) {
      throw new InvalidRequestException(
          "firstSeenAt and lastSeenAt are required, first not after last", f + ".lastSeenAt");
    }
    if (o.vsid() < 0 || o.vsid() > 16_777_215) {
      throw new InvalidRequestException("vsid must be a 24-bit number", f + ".vsid");
    }
    if (o.mac() != null && o.mac().length() > 17) {
      throw new InvalidRequestException("mac is at most 17 characters", f + ".mac");
    }
  }
}
