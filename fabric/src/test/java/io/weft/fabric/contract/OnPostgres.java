package io.weft.fabric.contract;

import io.weft.testkit.PostgresTestDatabase;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points a contract's application context at one throwaway PostgreSQL database. Every contract
 * class names this same initializer, so Spring's test context cache gives them one context (one
 * database, one Flyway run) instead of one each; the database is dropped when the JVM ends.
 */
final class OnPostgres implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  private static PostgresTestDatabase db;

  private static synchronized PostgresTestDatabase database() {
    if (db == null) {
      db = PostgresTestDatabase.createDroppedAtExit();
    }
    return db;
  }

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    database()
        .addDataSource(
            (name, value) -> TestPropertyValues.of(name + "=" + value.get()).applyTo(context));
  }
}
