package io.weft.fabric;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The fabric and IPAM on their own, for the fabric module's Spring tests. */
@SpringBootApplication(scanBasePackages = {"io.weft.fabric", "io.weft.ipam"})
public class FabricTestApplication {

  public static void main(String[] args) {
    SpringApplication.run(FabricTestApplication.class, args);
  }
}
