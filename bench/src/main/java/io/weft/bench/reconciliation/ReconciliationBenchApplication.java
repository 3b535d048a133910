package io.weft.bench.reconciliation;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * IPAM, the fabric and diagnostics (with its Quartz scheduler) without the portal, as the
 * reconciliation benchmark drives them; the fabric's JPA repositories are found from {@code
 * io.weft}, as in the real application.
 */
@SpringBootApplication(scanBasePackages = {"io.weft.fabric", "io.weft.ipam", "io.weft.diagnostics"})
@AutoConfigurationPackage(basePackages = "io.weft")
public class ReconciliationBenchApplication {}
