package io.weft.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The agent's command line: options, their environment variables, and errors naming the option. */
class AgentOptionsTest {

  private static final String[] REQUIRED = {
    "--fabric=https://weft.example", "--token=secret", "--host-id=h-1"
  };

  @Test
  void defaultsAndEnvironmentVariablesWithTheOptionWinning() throws Exception {
    AgentOptions o = AgentOptions.parse(REQUIRED, Map.of());
    assertThat(o.backend()).isEqualTo("memory");
    assertThat(o.stateDirectory()).isEqualTo(Path.of("data", "agent", "h-1"));
    assertThat(o.http().getPort()).isEqualTo(9464);
    assertThat(o.http().getAddress().isLoopbackAddress()).isTrue();
    assertThat(o.underlayInterface()).isNull();
    assertThat(o.fullReportInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(o.toString()).doesNotContain("secret");

    AgentOptions env =
        AgentOptions.parse(
            new String[] {"--backend=linux"},
            Map.of(
                "WEFT_FABRIC_URL", "http://10.0.0.1:8080",
                "WEFT_HOST_TOKEN", "tok",
                "WEFT_HOST_ID", "h-2",
                "WEFT_BACKEND", "memory",
                "WEFT_UNDERLAY_INTERFACE", "eth1",
                "WEFT_CONFIGURE_PA", "true",
                "WEFT_AGENT_STATE", "/var/lib/weft-agent",
                "WEFT_AGENT_HTTP", "off",
                "WEFT_AGENT_FULL_REPORT", "PT30S"));
    assertThat(env.fabric().toString()).isEqualTo("http://10.0.0.1:8080");
    assertThat(env.token()).isEqualTo("tok");
    assertThat(env.backend()).as("the option wins").isEqualTo("linux");
    assertThat(env.underlayInterface()).isEqualTo("eth1");
    assertThat(env.configurePa()).isTrue();
    assertThat(env.stateDirectory()).isEqualTo(Path.of("/var/lib/weft-agent"));
    assertThat(env.http()).isNull();
    assertThat(env.fullReportInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--backend=dpdk | backend | must be memory or linux",
        "--fabric=ftp://x | fabric | not an http(s) URL",
        "--http=localhost | http | HOST:PORT",
        "--http=127.0.0.1:70000 | http | outside 0..65535",
        "--configure-pa | configure-pa | needs --underlay-interface",
        "--underlay-interface=this-name-is-too-long | underlay-interface | not an interface name",
        "--encapsulation=GENEVE | encapsulation | NVGRE or VXLAN",
        "--colour=blue | colour | unknown option",
        "--state-dir | state-dir | needs a value",
        "--host-id=a/b | host-id | not a host id",
        "--full-report-interval=5m | full-report-interval | not an ISO-8601 duration",
        "--full-report-interval=PT0S | full-report-interval | must be positive",
        "--full-report-interval=-PT1M | full-report-interval | must be positive",
      })
  void badOptionsAreNamed(String bad, String option, String message) {
    String[] args = {REQUIRED[0], REQUIRED[1], REQUIRED[2], bad};
    assertThatThrownBy(() -> AgentOptions.parse(args, Map.of()))
        .isInstanceOfSatisfying(
            AgentOptions.BadOption.class, e -> assertThat(e.option()).isEqualTo(option))
        .hasMessageContaining("--" + option)
        .hasMessageContaining(message);
  }

  @Test
  void aQuietAgentReportsInFullAsOftenAsItsOptionSays(@TempDir Path state) throws Exception {
    try (FakeFabric fabric = new FakeFabric();
        AgentProcess agent =
            AgentProcess.start(
                AgentOptions.parse(
                    new String[] {
                      "--fabric=" + fabric.uri(),
                      "--token=t",
                      "--host-id=h-1",
                      "--state-dir=" + state,
                      "--http=off",
                      "--full-report-interval=PT0.2S"
                    },
                    Map.of()))) {
      // The start report, then one every 0.16-0.24 s; with the default, none for 4 minutes.
      fabric.awaitReports(4);
    }
  }

  @Test
  void aMissingRequiredOptionNamesItAndItsVariable() {
    assertThatThrownBy(() -> AgentOptions.parse(new String[] {"--fabric=http://f"}, Map.of()))
        .hasMessageContaining("--token")
        .hasMessageContaining("WEFT_HOST_TOKEN");
  }

  @Test
  void mainPrintsTheProblemAndTheUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AgentOptions o =
        AgentMain.parse(
            new String[] {"--backend=dpdk"},
            Map.of(),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(o).isNull();
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith("weft agent: --backend: must be memory or linux, not 'dpdk'");
    assertThat(text).contains("usage: ./weft agent").contains("WEFT_UNDERLAY_INTERFACE");
  }
}
