package io.weft.fabric;

import io.weft.testkit.PostgresTestDatabase;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The fabric and IPAM on their own, for the fabric module's Spring tests. */
@SpringBootApplication(scanBasePackages = {"io.weft.fabric", "io.weft.ipam"})
public class FabricTestApplication {

  public static void main(String[] args) {
    SpringApplication.run(FabricTestApplication.class, args);
  }

  /**
   * A replica of its own on {@code db}, with a small pool so that several fit beside each other;
   * the caller closes it.
   */
  public static ConfigurableApplicationContext replicaOn(PostgresTestDatabase db) {
    return new SpringApplicationBuilder(FabricTestApplication.class)
        .run(
            "--spring.datasource.url=" + db.jdbcUrl(),
            "--spring.datasource.username=" + db.user(),
            "--spring.datasource.password=" + db.password(),
            "--spring.datasource.hikari.maximum-pool-size=4");
  }
}
