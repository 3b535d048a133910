package io.weft.diagnostics.trace;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The fabric, IPAM and diagnostics on H2, for the trace tests; the fabric's JPA repositories are
 * found from the {@code io.weft} package, as in the real application.
 */
@SpringBootApplication(scanBasePackages = {"io.weft.fabric", "io.weft.ipam", "io.weft.diagnostics"})
@AutoConfigurationPackage(basePackages = "io.weft")
public class TraceTestApplication {

  /** The module's reconciliation job publishes metrics; the portal brings the real registry. */
  @Bean
  MeterRegistry meterRegistry() {
    return new SimpleMeterRegistry();
  }
}
