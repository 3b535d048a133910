package io.weft.dataplane.agent;

import io.weft.dataplane.table.Encapsulation;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's command line: each option as {@code --name=value} or from its environment variable
 * (the option wins). Anything wrong is a {@link BadOption} naming the option, which {@link
 * AgentMain} prints with the usage before exiting with status 2.
 *
 * @param underlayInterface the interface that must carry the PA; null skips the check
 * @param configurePa add the PA to the underlay interface when it is missing, instead of refusing
 * @param stateDirectory where the last applied table and the DHCP leases are kept
 * @param http where health and metrics are served; null: not at all
 * @param encapsulation before the first table only (the table then says)
 * @param fullReportInterval how often a quiet agent reports in full (each pause 80–120 % of it)
 */
public record AgentOptions(
    URI fabric,
    String token,
    String hostId,
    String backend,
    String underlayInterface,
    boolean configurePa,
    Path stateDirectory,
    InetSocketAddress http,
    Encapsulation encapsulation,
    Duration fullReportInterval) {

  /** One option, its environment variable and what it means (for the usage text). */
  record Spec(String name, String env, String meaning) {}

  static final List<Spec> SPECS =
      List.of(
          new Spec("fabric", "WEFT_FABRIC_URL", "the fabric's URL, e.g. https://weft.example"),
          new Spec("token", "WEFT_HOST_TOKEN", "the host's agent token (prefer the variable)"),
          new Spec("host-id", "WEFT_HOST_ID", "the host's id, as the fabric registered it"),
          new Spec("backend", "WEFT_BACKEND", "memory (default) or linux"),
          new Spec(
              "underlay-interface",
              "WEFT_UNDERLAY_INTERFACE",
              "interface that must carry the host's PA, e.g. eth1 (checked before forwarding)"),
          new Spec(
              "configure-pa",
              "WEFT_CONFIGURE_PA",
              "true: add a missing PA to the underlay interface instead of refusing"),
          new Spec(
              "state-dir",
              "WEFT_AGENT_STATE",
              "where the last applied table and DHCP leases are kept (default data/agent/HOST-ID)"),
          new Spec(
              "http",
              "WEFT_AGENT_HTTP",
              "health and metrics address (default 127.0.0.1:9464; 'off' disables)"),
          new Spec(
              "encapsulation", "WEFT_ENCAPSULATION", "NVGRE (default) or VXLAN until a table says"),
          new Spec(
              "full-report-interval",
              "WEFT_AGENT_FULL_REPORT",
              "how often a quiet agent reports counters and addresses, ISO-8601 (default PT5M)"));

  /** A command-line problem, naming the option at fault. */
  public static final class BadOption extends Exception {
    private final String option;

    BadOption(String option, String message) {
      super("--" + option + ": " + message);
      this.option = option;
    }

    public String option() {
      return option;
    }
  }

  public static AgentOptions parse(String[] args, Map<String, String> env) throws BadOption {
    Map<String, String> given = new LinkedHashMap<>();
    for (String a : args) {
      if (!a.startsWith("--") || a.length() < 3) {
        throw new BadOption(a, "not an option; options look like --name=value");
      }
      int eq = a.indexOf('=');
      String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
      if (SPECS.stream().noneMatch(s -> s.name().equals(name))) {
        throw new BadOption(name, "unknown option");
      }
      if (eq < 0 && !name.equals("configure-pa")) {
        throw new BadOption(name, "needs a value: --" + name + "=...");
      }
      given.put(name, eq < 0 ? "true" : a.substring(eq + 1));
    }
    for (Spec s : SPECS) {
      String fromEnv = env.get(s.env());
      if (!given.containsKey(s.name()) && fromEnv != null && !fromEnv.isBlank()) {
        given.put(s.name(), fromEnv);
      }
    }
    String backend = given.getOrDefault("backend", "memory").strip().toLowerCase(Locale.ROOT);
    if (!backend.equals("memory") && !backend.equals("linux")) {
      throw new BadOption("backend", "must be memory or linux, not '" + backend + "'");
    }
    String underlay = given.get("underlay-interface");
    if (underlay != null && !underlay.matches("[A-Za-z0-9._@:-]{1,15}")) {
      throw new BadOption("underlay-interface", "'" + underlay + "' is not an interface name");
    }
    boolean configure = bool(given.getOrDefault("configure-pa", "false"), "configure-pa");
    if (configure && underlay == null) {
      throw new BadOption("configure-pa", "needs --underlay-interface to know where to add the PA");
    }
    URI fabric = fabric(required(given, "fabric"));
    String token = required(given, "token");
    String hostId = required(given, "host-id");
    if (!hostId.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new BadOption("host-id", "'" + hostId + "' is not a host id (letters, digits, . _ -)");
    }
    Path state =
        Path.of(given.getOrDefault("state-dir", Path.of("data", "agent", hostId).toString()));
    InetSocketAddress http = http(given.getOrDefault("http", "127.0.0.1:9464"));
    Encapsulation encapsulation;
    try {
      encapsulation =
          Encapsulation.valueOf(
              given.getOrDefault("encapsulation", "NVGRE").strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadOption("encapsulation", "must be NVGRE or VXLAN");
    }
    Duration fullReport =
        fullReportInterval(
            given.getOrDefault(
                "full-report-interval", TableClient.DEFAULT_FULL_REPORT_INTERVAL.toString()));
    return new AgentOptions(
        fabric,
        token,
        hostId,
        backend,
        underlay,
        configure,
        state,
        http,
        encapsulation,
        fullReport);
  }

  private static String required(Map<String, String> given, String name) throws BadOption {
    String v = given.get(name);
    if (v == null || v.isBlank()) {
      String env =
          SPECS.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().env();
      throw new BadOption(name, "is required (or set " + env + ")");
    }
    return v.strip();
  }

  private static URI fabric(String text) throws BadOption {
    try {
      URI uri = new URI(text);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new BadOption("fabric", "'" + text + "' is not an http(s) URL");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new BadOption("fabric", "'" + text + "' is not a URL: " + e.getReason());
    }
  }

  private static boolean bool(String text, String name) throws BadOption {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new BadOption(name, "must be true or false, not '" + text + "'");
    };
  }

  private static Duration fullReportInterval(String text) throws BadOption {
    Duration interval;
    try {
      interval = Duration.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new BadOption(
          "full-report-interval", "'" + text + "' is not an ISO-8601 duration (e.g. PT5M)");
    }
    if (!interval.isPositive()) {
      throw new BadOption("full-report-interval", "must be positive, not " + interval);
    }
    return interval;
  }

  private static InetSocketAddress http(String text) throws BadOption {
    if (text.strip().equalsIgnoreCase("off")) {
      return null;
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new BadOption("http", "'" + text + "' is not HOST:PORT (e.g. 127.0.0.1:9464) or off");
    }
    String host = text.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new BadOption("http", "'" + text.substring(colon + 1) + "' is not a port number");
    }
    if (port < 0 || port > 65535) {
      throw new BadOption("http", "port " + port + " is outside 0..65535");
    }
    return new InetSocketAddress(host, port);
  }

  /** The usage text: every option with its variable. */
  static String usage() {
    StringBuilder s =
        new StringBuilder("usage: ./weft agent --fabric=URL --host-id=ID [options]\n");
    for (Spec spec : SPECS) {
      s.append(String.format("  --%-20s %-24s %s%n", spec.name(), spec.env(), spec.meaning()));
    }
    return s.toString();
  }

  @Override
  public String toString() { // never print the token
    return "AgentOptions[fabric="
        + fabric
        + ", hostId="
        + hostId
        + ", backend="
        + backend
        + ", underlayInterface="
        + underlayInterface
        + ", configurePa="
        + configurePa
        + ", stateDirectory="
        + stateDirectory
        + ", http="
        + http
        + ", fullReportInterval="
        + fullReportInterval
        + "]";
  }
}
