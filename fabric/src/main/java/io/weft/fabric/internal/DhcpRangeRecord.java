package io.weft.fabric.internal;

import io.weft.fabric.DhcpRangeId;
import io.weft.fabric.SubnetId;
import io.weft.ipam.RangeId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** A DHCP range row as the implementation reads it. */
record DhcpRangeRecord(
    DhcpRangeId id,
    SubnetId subnetId,
    String start,
    String end,
    RangeId rangeId,
    int leaseSeconds,
    List<String> dnsServers) {

  static DhcpRangeRecord map(ResultSet rs, int row) throws SQLException {
    String dns = rs.getString("dns_servers");
    return new DhcpRangeRecord(
        new DhcpRangeId(rs.getObject("id", UUID.class)),
        new SubnetId(rs.getObject("subnet_id", UUID.class)),
        rs.getString("start_address"),
        rs.getString("end_address"),
        new RangeId(rs.getObject("range_id", UUID.class)),
        rs.getInt("lease_seconds"),
        dns == null || dns.isBlank() ? List.of() : List.of(dns.split(",")));
  }
}
