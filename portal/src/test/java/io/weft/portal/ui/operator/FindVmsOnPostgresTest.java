package io.weft.portal.ui.operator;

import io.weft.portal.PostgresContextDatabase;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The look-ups by id and vNIC id on the local PostgreSQL: UUID IN lists batched as deployed. */
@EnabledIf("io.weft.portal.PostgresContextDatabase#available")
class FindVmsOnPostgresTest extends FindVmsTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    PostgresContextDatabase.register(registry);
  }
}
