package io.weft.ipam;

import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link GlobalPoolsContract} on the local PostgreSQL. */
@EnabledIf("io.weft.ipam.PostgresSupport#available")
@SpringBootTest(classes = IpamTestApplication.class)
class PostgresGlobalPoolsTest extends GlobalPoolsContract {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    PostgresSupport.register(registry);
  }
}
