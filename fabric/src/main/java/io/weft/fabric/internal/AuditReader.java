package io.weft.fabric.internal;

import io.weft.fabric.AuditEntry;
import io.weft.fabric.AuditLog;
import io.weft.fabric.AuditQuery;
import io.weft.fabric.Caller;
import io.weft.fabric.Page;
import io.weft.fabric.PageRequest;
import io.weft.fabric.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads the audit log newest first, ties broken by id, one page at a time: operators read every
 * line, tenant administrators only their tenant's.
 */
@Component
class AuditReader implements AuditLog {

  private static final String ORDER = " ORDER BY at DESC, id DESC";
  private static final List<String> SEARCHED_COLUMNS =
      List.of("actor", "action", "target", "result", "detail");

  private final JdbcClient jdbc;
  private final FabricOperations operations;
  private final Authorizer authorizer;

  AuditReader(JdbcClient jdbc, FabricOperations operations, Authorizer authorizer) {
    this.jdbc = jdbc;
    this.operations = operations;
    this.authorizer = authorizer;
  }

  @Override
  public List<AuditEntry> recent(Caller caller, TenantId tenantOrNull, int limit) {
    PageRequest first = PageRequest.first(Math.clamp(limit, 1, PageRequest.MAX_LIMIT));
    return page(caller, AuditQuery.of(tenantOrNull), first).items();
  }

  @Override
  public Page<AuditEntry> page(Caller caller, AuditQuery query, PageRequest page) {
    Filter filter = Filter.of(query);
    return operations.read(() -> {
      requireReader(caller, query.tenant());
      long total =
          jdbc.sql("SELECT count(*) FROM fabric_audit" + filter.where())
              .params(filter.params())
              .query(Long.class)
              .single();
      Map<String, Object> params = new HashMap<>(filter.params());
      params.put("limit", page.limit());
      params.put("offset", page.offset());
      List<AuditEntry> items =
          jdbc.sql(
                  "SELECT * FROM fabric_audit"
                      + filter.where()
                      + ORDER
                      + " LIMIT :limit OFFSET :offset")
              .params(params)
              .query(AuditReader::entry)
              .list();
      return new Page<>(items, total, page);
    });
  }

  private void requireReader(Caller caller, TenantId tenantOrNull) {
    if (tenantOrNull == null) {
      authorizer.requireOperator(caller, "read the whole audit log");
    } else {
      authorizer.requireTenantAdmin(caller, tenantOrNull);
    }
  }

  /** The query as a WHERE clause with named parameters (the same on H2 and PostgreSQL). */
  private record Filter(String where, Map<String, Object> params) {

    static Filter of(AuditQuery query) {
      List<String> conditions = new ArrayList<>();
      Map<String, Object> params = new HashMap<>();
      if (query.tenant() != null) {
        conditions.add("tenant_id = :tenant");
        params.put("tenant", query.tenant().value());
      }
      if (query.since() != null) {
        conditions.add("at >= :since");
        params.put("since", Timestamp.from(query.since()));
      }
      if (query.until() != null) {
        conditions.add("at < :until");
        params.put("until", Timestamp.from(query.until()));
      }
      if (query.text() != null) {
        conditions.add(
            SEARCHED_COLUMNS.stream()
                .map(column -> "LOWER(" + column + ") LIKE :text" + LikePattern.ESCAPE_CLAUSE)
                .reduce((a, b) -> a + " OR " + b)
                .map(any -> "(" + any + ")")
                .orElseThrow());
        params.put("text", LikePattern.containing(query.text()));
      }
      return new Filter(
          conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), params);
    }
  }

  private static AuditEntry entry(ResultSet rs, int row) throws SQLException {
    UUID tenant = rs.getObject("tenant_id", UUID.class);
    return new AuditEntry(
        rs.getLong("id"),
        rs.getTimestamp("at").toInstant(),
        rs.getString("actor"),
        tenant == null ? null : tenant.toString(),
        rs.getString("action"),
        rs.getString("target"),
        rs.getString("result"),
        rs.getString("detail"));
  }
}
