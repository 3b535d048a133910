package io.weft.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.WeftApplication;
import io.weft.fabric.identity.AccountService;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The first start creates one operator with a random password shown once; later starts are silent.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperatorBootstrapTest {

  private static final Pattern PRINTED =
      Pattern.compile("Created the operator account 'admin' with password: (\\S+)");

  @Test
  void printsARandomPasswordOnceAndKeepsTheAccountAcrossRestarts(
      @TempDir Path home, CapturedOutput output) {
    String password;
    try (ConfigurableApplicationContext first = start(home)) {
      Matcher m = PRINTED.matcher(output.getAll());
      assertThat(m.find()).as("the first start prints the generated password").isTrue();
      password = m.group(1);
      assertThat(password).hasSizeGreaterThanOrEqualTo(16);
      assertThat(m.find()).as("printed only once").isFalse();
      assertThat(first.getBean(AccountService.class).countOperators()).isEqualTo(1);
    }
    int endOfFirstRun = output.getAll().length();

    try (ConfigurableApplicationContext second = start(home)) {
      String secondRun = output.getAll().substring(endOfFirstRun);
      assertThat(secondRun).doesNotContain(password).doesNotContain("with password");
      AccountService accounts = second.getBean(AccountService.class);
      assertThat(accounts.countOperators()).isEqualTo(1);
      String hash = accounts.findCredentials("admin").orElseThrow().passwordHash();
      assertThat(second.getBean(PasswordEncoder.class).matches(password, hash))
          .as("the password printed on the first start still signs in")
          .isTrue();
    }
  }

  private static ConfigurableApplicationContext start(Path home) {
    return new SpringApplicationBuilder(WeftApplication.class)
        .run(
            "--server.port=0",
            "--weft.home=" + home,
            "--spring.datasource.url=jdbc:h2:file:" + home.resolve("db/weft"),
            "--weft.admin-password=");
  }
}
