package io.weft.fabric.identity.internal;

import io.weft.fabric.identity.AccountService;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * On a database without operators, creates {@code admin} with the password from {@code
 * WEFT_ADMIN_PASSWORD} or a random one printed exactly once. There is never a fixed default
 * password; a later start finds the operator and says nothing about passwords.
 */
@Component
class OperatorBootstrap implements ApplicationRunner {

  static final String USERNAME = "admin";
  private static final Logger log = LoggerFactory.getLogger(OperatorBootstrap.class);

  private final AccountService accounts;
  private final String configuredPassword;

  OperatorBootstrap(
      AccountService accounts, @Value("${weft.admin-password:}") String configuredPassword) {
    this.accounts = accounts;
    this.configuredPassword = configuredPassword;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (accounts.countOperators() > 0) {
      return;
    }
    boolean generated = configuredPassword.isBlank();
    String password = generated ? randomPassword() : configuredPassword;
    try {
      if (!accounts.createFirstOperator(USERNAME, password)) {
        return;
      }
    } catch (DataIntegrityViolationException raceLostToAnotherReplica) {
      log.info("Another fabric replica created the first operator account.");
      return;
    }
    if (generated) {
      log.warn(
          "\n\n  Created the operator account '{}' with password: {}\n"
              + "  It is shown only this once. Sign in and keep it safe.\n",
          USERNAME,
          password);
    } else {
      log.warn(
          "Created the operator account '{}' with the password from WEFT_ADMIN_PASSWORD.",
          USERNAME);
    }
  }

  private static String randomPassword() {
    byte[] bytes = new byte[15];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
