package io.weft.bench.tables;

import io.weft.testkit.PostgresTestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The database a generated-cloud bench runs its fabric on: H2 in memory, or a throwaway database of
 * the local PostgreSQL that is dropped when the bench ends.
 *
 * @param user null on H2
 * @param password null on H2
 */
record BenchDatabase(String url, String user, String password) {

  /** A bench run on one database. */
  @FunctionalInterface
  interface Bench {
    void run(BenchDatabase database) throws Exception;
  }

  /**
   * Runs the bench on the local PostgreSQL ({@code postgres}) or on an H2 in-memory database named
   * {@code h2Name}; fails at once, with the reason, when PostgreSQL was asked for and is not there.
   */
  static void run(boolean postgres, String h2Name, Bench bench) throws Exception {
    if (!postgres) {
      bench.run(new BenchDatabase("jdbc:h2:mem:" + h2Name + ";DB_CLOSE_DELAY=-1", null, null));
      return;
    }
    if (!PostgresTestDatabase.available()) {
      throw new IllegalStateException(
          "PostgreSQL unavailable: " + PostgresTestDatabase.unavailableReason().orElse("?"));
    }
    try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
      bench.run(new BenchDatabase(db.jdbcUrl(), db.user(), db.password()));
    }
  }

  /** Where the bench runs, for its first line: the database, the cpus and the heap. */
  String describe() {
    return String.format(
        "database: %s, %d cpus, max heap %d MiB",
        url.startsWith("jdbc:postgresql") ? "PostgreSQL" : "H2 in memory",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
  }

  /**
   * Starts the application on this database with the Flyway migrations of {@code migrations}
   * (comma-separated classpath locations), quiet logging and a pool of 32 connections.
   */
  ConfigurableApplicationContext start(Class<?> application, String migrations) {
    List<String> props =
        new ArrayList<>(
            List.of(
                "--spring.datasource.url=" + url,
                "--spring.flyway.locations=" + migrations,
                "--spring.main.banner-mode=off",
                "--logging.level.root=warn",
                "--weft.admin-password=bench-password-123",
                "--spring.jpa.open-in-view=false",
                "--spring.datasource.hikari.maximum-pool-size=32"));
    if (user != null) {
      props.add("--spring.datasource.username=" + user);
      props.add("--spring.datasource.password=" + (password == null ? "" : password));
    }
    return new SpringApplicationBuilder(application).run(props.toArray(String[]::new));
  }
}
