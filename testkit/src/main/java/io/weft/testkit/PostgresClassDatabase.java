package io.weft.testkit;

import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway PostgreSQL database for one Spring test class, dropped after the class. The class
 * registers it and points its application context at it:
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresClassDatabase db = new PostgresClassDatabase();
 *
 * @DynamicPropertySource
 * static void postgres(DynamicPropertyRegistry registry) {
 *   db.addDataSource(registry::add);
 * }
 * }</pre>
 *
 * <p>Where no PostgreSQL answers, the class is skipped and the reason printed, so a run without
 * PostgreSQL says what it did not check.
 */
public final class PostgresClassDatabase implements ExecutionCondition, AfterAllCallback {

  private PostgresTestDatabase database;

  /**
   * Creates the database (on the first call) and adds the properties that point a data source at it
   * ({@link PostgresTestDatabase#addDataSource}).
   */
  public synchronized void addDataSource(BiConsumer<String, Supplier<Object>> properties) {
    if (database == null) {
      database = PostgresTestDatabase.create();
    }
    database.addDataSource(properties);
  }

  /** The database, once {@link #addDataSource} has created it. */
  public synchronized PostgresTestDatabase database() {
    if (database == null) {
      throw new IllegalStateException("no database yet: the context has not been loaded");
    }
    return database;
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (context.getTestMethod().isPresent()) {
      return ConditionEvaluationResult.enabled("PostgreSQL was checked for the class");
    }
    Optional<String> reason = PostgresTestDatabase.unavailableReason();
    if (reason.isEmpty()) {
      return ConditionEvaluationResult.enabled("PostgreSQL answers");
    }
    System.out.println("SKIPPED " + context.getDisplayName() + ": " + reason.get());
    return ConditionEvaluationResult.disabled(reason.get());
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (database != null) {
      database.close();
      database = null;
    }
  }
}
