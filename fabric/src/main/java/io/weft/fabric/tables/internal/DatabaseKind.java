package io.weft.fabric.tables.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/** Which database the fabric runs on, asked once: LISTEN/NOTIFY exists only on PostgreSQL. */
@Component
class DatabaseKind {

  private final boolean postgres;

  DatabaseKind(DataSource dataSource) {
    boolean pg;
    try (Connection c = dataSource.getConnection()) {
      pg = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    } catch (SQLException e) {
      pg = false;
    }
    this.postgres = pg;
  }

  boolean isPostgres() {
    return postgres;
  }
}
