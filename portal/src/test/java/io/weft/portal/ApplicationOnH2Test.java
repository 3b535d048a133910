package io.weft.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.identity.AccountService;
import io.weft.fabric.identity.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@H2ApplicationTest
class ApplicationOnH2Test {

  @LocalServerPort int port;
  @Autowired AccountService accounts;

  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @Test
  void servesTheLoginPageAndSendsStrangersThere() throws Exception {
    HttpResponse<String> home = get("/", null);
    assertThat(home.statusCode()).isEqualTo(302);
    assertThat(home.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/login"));

    HttpResponse<String> login = get("/login", null);
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.body()).contains("<html").contains("_csrf");
  }

  @Test
  void reportsHealthToAnyoneButMetricsOnlyToOperators() throws Exception {
    assertThat(get("/actuator/health", null).body()).contains("\"status\":\"UP\"");
    assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
    HttpResponse<String> metrics =
        get("/actuator/prometheus", basic("admin", H2ApplicationTest.ADMIN_PASSWORD));
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes");
  }

  @Test
  void exportsTheMetricsTheAlertRulesReadAndCountsFailedSignIns() throws Exception {
    String admin = basic("admin", H2ApplicationTest.ADMIN_PASSWORD);
    double before = failures(get("/actuator/prometheus", admin).body());
    assertThat(get("/api/v1/me", basic("admin", "not-the-password")).statusCode()).isEqualTo(401);
    String body = get("/actuator/prometheus", admin).body();
    // The alert rules (docs/alerts/weft-rules.yaml) read exactly these.
    assertThat(body)
        .contains("weft_hosts_silent ")
        .contains("weft_hosts_behind ")
        .contains("weft_tables_generations_behind_max ")
        .contains("weft_hosts_refusing_tables ")
        .contains("weft_vsid_pool_used_ratio ");
    assertThat(body).doesNotContain("weft_hosts_silent NaN");
    assertThat(failures(body)).isEqualTo(before + 1);
  }

  private static double failures(String metrics) {
    return metrics
        .lines()
        .filter(l -> l.startsWith("weft_login_failures_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void rejectsApiCallsWithoutOrWithWrongCredentials() throws Exception {
    assertThat(get("/api/v1/anything", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/anything", basic("admin", "wrong")).statusCode()).isEqualTo(401);
  }

  @Test
  void bootstrapsExactlyOneOperatorWithTheConfiguredPassword() {
    assertThat(accounts.countOperators()).isEqualTo(1);
    assertThat(accounts.findByUsername("ADMIN"))
        .hasValueSatisfying(a -> assertThat(a.role()).isEqualTo(Role.OPERATOR));
    assertThat(accounts.findCredentials("admin").orElseThrow().passwordHash())
        .startsWith("{bcrypt}")
        .doesNotContain(H2ApplicationTest.ADMIN_PASSWORD);
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
