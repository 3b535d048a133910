package io.weft.bench.tables;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * The fabric and IPAM alone, as the tables benchmark drives them. JPA scanning is pointed at the
 * fabric explicitly because this class lives outside its packages.
 */
@SpringBootApplication(scanBasePackages = {"io.weft.fabric", "io.weft.ipam"})
@EnableJpaRepositories(basePackages = "io.weft.fabric")
@EntityScan(basePackages = "io.weft.fabric")
public class TablesBenchApplication {}
