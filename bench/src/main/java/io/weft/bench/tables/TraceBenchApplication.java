package io.weft.bench.tables;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * The fabric, IPAM and the diagnostics the trace needs (the trace itself, the applied-table
 * comparison and the command path it may use), as the trace benchmark drives them.
 */
@SpringBootApplication(
    scanBasePackages = {
      "io.weft.fabric",
      "io.weft.ipam",
      "io.weft.diagnostics.trace",
      "io.weft.diagnostics.applied",
      "io.weft.diagnostics.command"
    })
@EnableJpaRepositories(basePackages = "io.weft.fabric")
@EntityScan(basePackages = "io.weft.fabric")
public class TraceBenchApplication {}
