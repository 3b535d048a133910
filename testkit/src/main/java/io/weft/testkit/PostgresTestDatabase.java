package io.weft.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway database on the local PostgreSQL, so that test runs never see each other's rows.
 *
 * <p>Tests call {@link #create()} once, use {@link #jdbcUrl()}, and {@link #close()} drops the
 * database (with any connections still open). Where no PostgreSQL answers, {@link #available()}
 * says why, so a test can skip with a printed reason instead of failing on a missing server.
 */
public final class PostgresTestDatabase implements AutoCloseable {

  private static final String HOST =
      System.getenv().getOrDefault("WEFT_TEST_PG_HOST", "127.0.0.1:5432");
  private static final String ADMIN_URL = "jdbc:postgresql://" + HOST + "/postgres";
  private static final String USER = System.getenv().getOrDefault("WEFT_TEST_PG_USER", "postgres");
  private static final String PASSWORD = System.getenv().getOrDefault("WEFT_TEST_PG_PASSWORD", "");

  private final String name;
  private boolean kept;

  private PostgresTestDatabase(String name) {
    this.name = name;
  }

  /** Empty when the local PostgreSQL answers; otherwise the reason it cannot be used. */
  public static Optional<String> unavailableReason() {
    try (Connection ignored = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD)) {
      return Optional.empty();
    } catch (SQLException e) {
      return Optional.of("no PostgreSQL at " + HOST + ": " + e.getMessage());
    }
  }

  public static boolean available() {
    return unavailableReason().isEmpty();
  }

  /**
   * Whether the local PostgreSQL answers, printing why not: for {@code @EnabledIf} conditions, so a
   * run without PostgreSQL says what it did not check.
   */
  public static boolean availableOrSayWhy() {
    Optional<String> reason = unavailableReason();
    reason.ifPresent(r -> System.out.println("[skip] PostgreSQL tests skipped: " + r));
    return reason.isEmpty();
  }

  /**
   * A fresh database dropped (with FORCE) when the JVM exits, not before: for a Spring context that
   * the test run keeps cached after its class.
   */
  public static PostgresTestDatabase createDroppedAtExit() {
    PostgresTestDatabase created = create();
    Runtime.getRuntime().addShutdownHook(new Thread(created::close, "drop-" + created.name()));
    return created;
  }

  /**
   * A fresh database for {@code test}; where no PostgreSQL answers, prints why and skips the test
   * (a JUnit assumption), so a run without PostgreSQL says what it did not check.
   */
  public static PostgresTestDatabase createOrSkip(String test) {
    String reason = unavailableReason().orElse(null);
    if (reason != null) {
      System.out.println("SKIPPED " + test + ": " + reason);
    }
    Assumptions.assumeTrue(reason == null, reason);
    return create();
  }

  /** Creates a fresh, uniquely named database. */
  public static PostgresTestDatabase create() {
    String name = freshName();
    execute("CREATE DATABASE " + name);
    return new PostgresTestDatabase(name);
  }

  /**
   * A fresh, uniquely named copy of the database {@code template} (PostgreSQL copies its files:
   * much faster than generating it again; nobody may be connected to the template meanwhile).
   */
  public static PostgresTestDatabase copyOf(String template) {
    String name = freshName();
    execute("CREATE DATABASE " + name + " TEMPLATE " + identifier(template));
    return new PostgresTestDatabase(name);
  }

  /** Whether a database called {@code name} exists on the local PostgreSQL. */
  public static boolean exists(String name) {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
        var s = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      s.setString(1, name);
      try (var rs = s.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + HOST + " refused a lookup", e);
    }
  }

  /**
   * Keeps this database beyond {@link #close()} under the name {@code kept} (replacing a database
   * of that name), e.g. a benchmark's generated cloud that later runs copy ({@link #copyOf}).
   */
  public void keepAs(String kept) {
    execute("DROP DATABASE IF EXISTS " + identifier(kept) + " WITH (FORCE)");
    execute("ALTER DATABASE " + name + " RENAME TO " + identifier(kept));
    this.kept = true;
  }

  private static String freshName() {
    return "weft_test_"
        + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
  }

  private static String identifier(String name) {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a plain database name: " + name);
    }
    return name;
  }

  public String name() {
    return name;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + HOST + "/" + name;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return PASSWORD;
  }

  /**
   * Adds the Spring Boot properties that point an application's data source at this database, e.g.
   * through a {@code DynamicPropertyRegistry}'s {@code registry::add}.
   */
  public void addDataSource(BiConsumer<String, Supplier<Object>> properties) {
    properties.accept("spring.datasource.url", this::jdbcUrl);
    properties.accept("spring.datasource.username", this::user);
    properties.accept("spring.datasource.password", this::password);
  }

  /**
   * Runs a SQL script (statements only, no psql commands) in this database, e.g. a plain {@code
   * pg_dump --inserts} of an earlier release's database.
   */
  public void runScript(String script) {
    try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute(script);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL refused a script in " + name, e);
    }
  }

  @Override
  public void close() {
    if (kept) {
      return;
    }
    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + HOST + " refused: " + sql, e);
    }
  }
}
