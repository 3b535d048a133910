package io.weft.portal.api;

import io.weft.portal.H2ApplicationTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole application with three simulated hosts on the memory data plane, an in-memory H2 and a
 * random port: the simulated cloud the API tests break and diagnose. Test classes with this
 * annotation (and those spelling out the same properties) share one application context, so the
 * hosts start once per run; each test makes a tenant of its own and undoes what it breaks.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:weft-simulated-cloud;DB_CLOSE_DELAY=-1",
      "weft.admin-password=" + H2ApplicationTest.ADMIN_PASSWORD,
      "weft.simulation.hosts=" + SimulatedCloud.HOSTS,
      "weft.home=target/simulated-cloud-test"
    })
@interface SimulatedCloudTest {}
