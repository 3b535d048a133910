package io.weft;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Weft's one application: portal, REST API and fabric controller in a process. Its package is the
 * root of the application modules {@code ipam}, {@code fabric}, {@code dataplane}, {@code
 * diagnostics} and {@code portal}.
 */
@SpringBootApplication
public class WeftApplication {

  public static void main(String[] args) {
    SpringApplication.run(WeftApplication.class, args);
  }
}
