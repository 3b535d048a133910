package io.weft.portal;

import io.weft.WeftApplication;
import io.weft.testkit.PostgresTestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One replica of the whole application, started in the test's JVM: the postgres profile on a given
 * test database, a random HTTP port. Tests start several to see them share one database.
 */
public final class ReplicaInThisJvm {

  private ReplicaInThisJvm() {}

  /** Starts a replica on {@code database}; the caller closes it. */
  public static ConfigurableApplicationContext start(PostgresTestDatabase database) {
    SpringApplicationBuilder builder =
        new SpringApplicationBuilder(WeftApplication.class).profiles("postgres");
    // Boot's logging system is one per JVM: two applications initialising it at the same moment
    // race ("Unable to find Spring Environment in logger context"). The suite's earlier contexts
    // have set it up already, so replicas leave it alone.
    builder
        .application()
        .setListeners(
            builder.application().getListeners().stream()
                .filter(l -> !(l instanceof LoggingApplicationListener))
                .toList());
    return builder.run(
        "--server.port=0",
        "--spring.datasource.url=" + database.jdbcUrl(),
        "--spring.datasource.username=" + database.user(),
        "--spring.datasource.password=" + database.password(),
        "--weft.admin-password=replica-test-password");
  }
}
