package io.weft.fabric.contract;

import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.test.context.ContextConfiguration;

/** {@link HostTableContract} on PostgreSQL, as replicas use it. */
@EnabledIf("io.weft.testkit.PostgresTestDatabase#available")
@ContextConfiguration(initializers = OnPostgres.class)
class HostTableContractOnPostgresTest extends HostTableContract {}
