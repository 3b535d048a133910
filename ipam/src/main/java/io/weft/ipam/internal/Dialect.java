package io.weft.ipam.internal;

import java.sql.Connection;
import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Which database we run on: the few statements that differ between H2 and PostgreSQL. */
@Component
class Dialect {

  private final JdbcTemplate jdbc;
  private volatile Boolean postgres;

  Dialect(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  boolean isPostgres() {
    Boolean known = postgres;
    if (known == null) {
      known =
          jdbc.execute((Connection c) ->
              c.getMetaData()
                  .getDatabaseProductName()
                  .toLowerCase(Locale.ROOT)
                  .contains("postgres"));
      postgres = known;
    }
    return known;
  }
}
