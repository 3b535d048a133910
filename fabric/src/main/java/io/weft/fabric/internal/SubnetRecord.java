package io.weft.fabric.internal;

import io.weft.fabric.SubnetId;
import io.weft.fabric.TenantId;
import io.weft.fabric.VmNetworkId;
import io.weft.ipam.IpPrefix;
import io.weft.ipam.PoolId;
import io.weft.ipam.RangeId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** A subnet row as the implementation reads it. */
record SubnetRecord(
    SubnetId id,
    TenantId tenantId,
    VmNetworkId vmNetworkId,
    String name,
    IpPrefix prefix,
    int vsid,
    String gateway,
    PoolId poolId,
    String staticStart,
    String staticEnd,
    RangeId staticRangeId,
    List<String> reserved,
    Instant createdAt) {

  static SubnetRecord map(ResultSet rs, int row) throws SQLException {
    UUID staticRange = rs.getObject("static_range_id", UUID.class);
    String reserved = rs.getString("reserved");
    return new SubnetRecord(
        new SubnetId(rs.getObject("id", UUID.class)),
        new TenantId(rs.getObject("tenant_id", UUID.class)),
        new VmNetworkId(rs.getObject("vm_network_id", UUID.class)),
        rs.getString("name"),
        IpPrefix.parse(rs.getString("cidr")),
        rs.getInt("vsid"),
        rs.getString("gateway"),
        new PoolId(rs.getObject("pool_id", UUID.class)),
        rs.getString("static_start"),
        rs.getString("static_end"),
        staticRange == null ? null : new RangeId(staticRange),
        reserved == null || reserved.isBlank() ? List.of() : Arrays.asList(reserved.split(",")),
        rs.getTimestamp("created_at").toInstant());
  }
}
