package io.weft.fabric.tables.internal;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The incremental compiler's memory, kept in the database beside the model so that every replica
 * diffs against the same state inside the changing transaction: each placed vNIC as the hosts
 * currently see it ({@code fabric_table_vnic}) and each VM network's span, the hosts holding its
 * ports ({@code fabric_table_span}).
 */
@Component
class CompiledIndex {

  private final JdbcClient jdbc;

  CompiledIndex(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Map<UUID, VnicView> load(Collection<UUID> vnics) {
    Map<UUID, VnicView> out = new HashMap<>();
    for (List<UUID> chunk : ModelReader.chunks(vnics)) {
      jdbc.sql("SELECT * FROM fabric_table_vnic WHERE vnic_id IN (:ids)")
          .param("ids", chunk)
          .query((ResultSet rs) -> {
            VnicView v =
                new VnicView(
                    rs.getObject("vnic_id", UUID.class),
                    rs.getObject("vm_id", UUID.class),
                    rs.getObject("vm_network_id", UUID.class),
                    rs.getInt("vsid"),
                    rs.getString("mac"),
                    rs.getString("addressing"),
                    rs.getString("address"),
                    rs.getObject("host_id", UUID.class),
                    rs.getString("host_pa"),
                    rs.getObject("extra_host_id", UUID.class),
                    rs.getString("published_pa"));
            out.put(v.vnicId(), v);
          });
    }
    return out;
  }

  List<UUID> vnicsOfVms(Collection<UUID> vms) {
    List<UUID> out = new ArrayList<>();
    for (List<UUID> chunk : ModelReader.chunks(vms)) {
      out.addAll(
          jdbc.sql("SELECT vnic_id FROM fabric_table_vnic WHERE vm_id IN (:ids)")
              .param("ids", chunk)
              .query(UUID.class)
              .list());
    }
    return out;
  }

  void delete(UUID vnic) {
    jdbc.sql("DELETE FROM fabric_table_vnic WHERE vnic_id = :id").param("id", vnic).update();
  }

  void upsert(VnicView v) {
    int n =
        jdbc.sql(
                "UPDATE fabric_table_vnic SET vm_id = :vm, vm_network_id = :net, vsid = :vsid,"
                    + " mac = :mac, addressing = :mode, address = :address, host_id = :host,"
                    + " host_pa = :hostPa, extra_host_id = :extra, published_pa = :published"
                    + " WHERE vnic_id = :id")
            .params(params(v))
            .update();
    if (n == 0) {
      jdbc.sql(
              "INSERT INTO fabric_table_vnic (vnic_id, vm_id, vm_network_id, vsid, mac, addressing,"
                  + " address, host_id, host_pa, extra_host_id, published_pa) VALUES (:id, :vm,"
                  + " :net, :vsid, :mac, :mode, :address, :host, :hostPa, :extra, :published)")
          .params(params(v))
          .update();
    }
  }

  private static Map<String, Object> params(VnicView v) {
    Map<String, Object> p = new HashMap<>();
    p.put("id", v.vnicId());
    p.put("vm", v.vmId());
    p.put("net", v.networkId());
    p.put("vsid", v.vsid());
    p.put("mac", v.mac());
    p.put("mode", v.addressing());
    p.put("address", v.address());
    p.put("host", v.host());
    p.put("hostPa", v.hostPa());
    p.put("extra", v.extraHost());
    p.put("published", v.publishedPa());
    return p;
  }

  /** network → (host → ports) for these networks. */
  Map<UUID, Map<UUID, Integer>> spans(Collection<UUID> networks) {
    Map<UUID, Map<UUID, Integer>> out = new HashMap<>();
    for (UUID n : networks) {
      out.put(n, new HashMap<>());
    }
    for (List<UUID> chunk : ModelReader.chunks(networks)) {
      jdbc.sql(
              "SELECT vm_network_id, host_id, ports FROM fabric_table_span"
                  + " WHERE vm_network_id IN (:ids)")
          .param("ids", chunk)
          .query((ResultSet rs) -> {
            out.get(rs.getObject(1, UUID.class)).put(rs.getObject(2, UUID.class), rs.getInt(3));
          });
    }
    return out;
  }

  /** Adds {@code delta} ports of a network on a host; the row goes when it reaches zero. */
  void adjustSpan(UUID network, UUID host, int delta, int after) {
    if (after <= 0) {
      jdbc.sql("DELETE FROM fabric_table_span WHERE vm_network_id = :n AND host_id = :h")
          .param("n", network)
          .param("h", host)
          .update();
      return;
    }
    int n =
        jdbc.sql(
                "UPDATE fabric_table_span SET ports = ports + :d"
                    + " WHERE vm_network_id = :n AND host_id = :h")
            .param("d", delta)
            .param("n", network)
            .param("h", host)
            .update();
    if (n == 0) {
      jdbc.sql("INSERT INTO fabric_table_span (vm_network_id, host_id, ports) VALUES (:n, :h, :p)")
          .param("n", network)
          .param("h", host)
          .param("p", after)
          .update();
    }
  }

  /** Forgets a removed host. */
  void forgetHost(UUID host) {
    jdbc.sql("DELETE FROM fabric_table_span WHERE host_id = :h").param("h", host).update();
  }
}
