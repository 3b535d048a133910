package io.weft.fabric.internal;

import io.weft.fabric.Host;
import io.weft.fabric.HostId;
import io.weft.fabric.HostState;
import io.weft.fabric.LogicalNetworkId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.UUID;

/** Reads host rows with their VM count (kept in {@code fabric_host.vm_count} by VmPlacements). */
final class HostRecord {

  static final String SELECT = "SELECT h.*, h.vm_count AS vms FROM fabric_host h";

  private HostRecord() {}

  static Host map(ResultSet rs, int row) throws SQLException {
    Timestamp seen = rs.getTimestamp("last_seen_at");
    return new Host(
        new HostId(rs.getObject("id", UUID.class)),
        rs.getString("name"),
        new LogicalNetworkId(rs.getObject("logical_network_id", UUID.class)),
        rs.getString("pa"),
        rs.getInt("vm_slots"),
        rs.getInt("vms"),
        HostState.valueOf(rs.getString("state")),
        rs.getLong("applied_generation"),
        seen == null ? null : seen.toInstant(),
        rs.getTimestamp("created_at").toInstant());
  }
}
