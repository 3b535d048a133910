package io.weft.diagnostics.capture;

import io.weft.diagnostics.CaptureStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@code diag_capture}: requests, states and the pcap files. */
@Component
class CaptureStore {

  private static final String COLUMNS =
      "id, tenant_id, host_id, target, filter_text, max_packets, max_seconds, max_bytes,"
          + " command_id, state, requested_at, finished_at, packets, size_bytes, stopped_by, error";

  private final JdbcClient jdbc;

  CaptureStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A stored capture without its file. */
  record Row(UUID tenant, UUID host, UUID command, CaptureStatus status) {}

  /** What a new capture is. */
  record NewCapture(
      UUID id,
      UUID tenant,
      String requestedBy,
      UUID host,
      UUID vnic,
      String target,
      String filter,
      int packets,
      int seconds,
      int bytes,
      Instant at) {}

  void insert(NewCapture c) {
    jdbc.sql(
            "INSERT INTO diag_capture (id, tenant_id, requested_by, host_id, vnic_id, target,"
                + " max_packets, max_seconds, max_bytes, filter_text, state, requested_at) VALUES"
                + " (:id, :tenant, :by, :host, :vnic, :target, :packets, :seconds, :bytes,"
                + " :filter, 'RUNNING', :at)")
        .param("id", c.id())
        .param("tenant", c.tenant())
        .param("by", c.requestedBy())
        .param("host", c.host())
        .param("vnic", c.vnic())
        .param("target", c.target())
        .param("packets", c.packets())
        .param("seconds", c.seconds())
        .param("bytes", c.bytes())
        .param("filter", c.filter())
        .param("at", Timestamp.from(c.at()))
        .update();
  }

  void commandSent(UUID id, UUID command) {
    jdbc.sql("UPDATE diag_capture SET command_id = :c WHERE id = :id")
        .param("c", command)
        .param("id", id)
        .update();
  }

  int running(UUID host) {
    return jdbc.sql("SELECT COUNT(*) FROM diag_capture WHERE host_id = :h AND state = 'RUNNING'")
        .param("h", host)
        .query(Integer.class)
        .single();
  }

  /** DONE with the file, once (a capture another replica finished stays as it is). */
  boolean done(UUID id, byte[] pcap, int packets, String stoppedBy, Instant at) {
    return jdbc.sql(
                "UPDATE diag_capture SET state = 'DONE', pcap = :pcap, packets = :packets,"
                    + " size_bytes = :size, stopped_by = :by, finished_at = :at WHERE id = :id AND"
                    + " state = 'RUNNING'")
            .param("pcap", pcap)
            .param("packets", packets)
            .param("size", pcap.length)
            .param("by", stoppedBy)
            .param("at", Timestamp.from(at))
            .param("id", id)
            .update()
        == 1;
  }

  boolean failed(UUID id, String error, Instant at) {
    String text = error == null ? "unknown" : error;
    return jdbc.sql(
                "UPDATE diag_capture SET state = 'FAILED', error = :error, finished_at = :at WHERE"
                    + " id = :id AND state = 'RUNNING'")
            .param("error", text.length() > 2000 ? text.substring(0, 2000) : text)
            .param("at", Timestamp.from(at))
            .param("id", id)
            .update()
        == 1;
  }

  Optional<Row> find(UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM diag_capture WHERE id = :id")
        .param("id", id)
        .query(CaptureStore::row)
        .optional();
  }

  /** Newest first; only the tenant's when {@code tenant} is given. */
  List<Row> newest(UUID tenant, int limit) {
    String where = tenant == null ? "" : " WHERE tenant_id = :tenant";
    var sql =
        jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM diag_capture"
                + where
                + " ORDER BY requested_at DESC FETCH FIRST "
                + limit
                + " ROWS ONLY");
    if (tenant != null) {
      sql = sql.param("tenant", tenant);
    }
    return sql.query(CaptureStore::row).list();
  }

  byte[] pcap(UUID id) {
    return jdbc.sql("SELECT pcap FROM diag_capture WHERE id = :id")
        .param("id", id)
        .query((rs, i) -> rs.getBytes(1))
        .single();
  }

  private static Row row(ResultSet rs, int i) throws SQLException {
    Timestamp finished = rs.getTimestamp("finished_at");
    return new Row(
        rs.getObject("tenant_id", UUID.class),
        rs.getObject("host_id", UUID.class),
        rs.getObject("command_id", UUID.class),
        new CaptureStatus(
            rs.getObject("id", UUID.class),
            rs.getString("state"),
            rs.getString("target"),
            rs.getString("filter_text"),
            rs.getInt("max_packets"),
            rs.getInt("max_seconds"),
            rs.getInt("max_bytes"),
            rs.getTimestamp("requested_at").toInstant(),
            finished == null ? null : finished.toInstant(),
            (Integer) rs.getObject("packets"),
            (Integer) rs.getObject("size_bytes"),
            rs.getString("stopped_by"),
            rs.getString("error")));
  }
}
