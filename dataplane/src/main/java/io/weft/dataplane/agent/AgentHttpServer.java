package io.weft.dataplane.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.DropReason;
import io.weft.dataplane.pipeline.PortCounters;
import io.weft.dataplane.table.TableJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's local HTTP port (loopback by default): {@code GET /health} answers 200 when the agent
 * forwards with a fabric table on a good underlay, 503 otherwise, with the reasons as JSON; {@code
 * GET /metrics} is the Prometheus text format (0.0.4): counters per port and per drop reason, the
 * generation in force, refusals and fabric failures. JDK HTTP server, no framework.
 */
final class AgentHttpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AgentHttpServer.class);

  private final HttpServer server;
  private final HostAgent agent;
  private final TableClient client;

  AgentHttpServer(InetSocketAddress address, HostAgent agent, TableClient client)
      throws IOException {
    this.agent = agent;
    this.client = client;
    this.server = HttpServer.create(address, 16);
    server.createContext("/health", x -> answer(x, this::health));
    server.createContext("/metrics", x -> answer(x, this::metrics));
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    LOG.info("health and metrics on http://{}:{}/", address.getHostString(), port());
  }

  int port() {
    return server.getAddress().getPort();
  }

  private record Answer(int status, String contentType, String body) {}

  private interface Handler {
    Answer handle();
  }

  private static void answer(HttpExchange x, Handler handler) throws IOException {
    try (x) {
      if (!"GET".equals(x.getRequestMethod())) {
        x.sendResponseHeaders(405, -1);
        return;
      }
      Answer a = handler.handle();
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().add("Content-Type", a.contentType());
      x.sendResponseHeaders(a.status(), body.length);
      x.getResponseBody().write(body);
    } catch (RuntimeException e) {
      LOG.warn("{} failed", x.getRequestURI(), e);
    }
  }

  private Answer health() {
    AgentStatus s = agent.status();
    Map<String, Object> out = new LinkedHashMap<>();
    java.util.List<String> problems = new java.util.ArrayList<>();
    if (s.generation() == 0) {
      problems.add("no table yet: the fabric has not answered and none was kept on disk");
    }
    if (s.underlay() != null && !s.underlay().paConfigured()) {
      problems.add(s.underlay().problem());
    }
    out.put("status", problems.isEmpty() ? "UP" : "DOWN");
    out.put("hostId", s.hostId());
    out.put("generation", s.generation());
    out.put("digest", s.digest());
    out.put("fabricReachable", client.fabricReachable());
    out.put("fabricError", client.consecutiveFailures() == 0 ? null : client.lastError());
    out.put("lastRejection", s.lastRejection());
    out.put("underlay", s.underlay());
    out.put("problems", problems);
    return new Answer(
        problems.isEmpty() ? 200 : 503,
        "application/json",
        TableJson.mapper().writeValueAsString(out));
  }

  private Answer metrics() {
    AgentStatus s = agent.status();
    CounterSnapshot c = s.counters();
    StringBuilder m = new StringBuilder(4096);
    gauge(m, "weft_agent_table_generation", "Generation of the table in force", s.generation());
    gauge(
        m,
        "weft_agent_underlay_pa_configured",
        "1 when the PA is on the underlay interface (or no interface is checked)",
        s.underlay() == null || s.underlay().paConfigured() ? 1 : 0);
    gauge(
        m,
        "weft_agent_fabric_consecutive_failures",
        "Failed polls of the fabric since the last answer",
        client.consecutiveFailures());
    counter(m, "weft_agent_table_refusals_total", "Tables the agent refused", agent.refusals());
    counter(
        m,
        "weft_agent_underlay_rx_packets_total",
        "Underlay packets received",
        c.underlayRxPackets());
    counter(
        m, "weft_agent_underlay_tx_packets_total", "Underlay packets sent", c.underlayTxPackets());
    agent
        .deviceCounters()
        .forEach((name, value) ->
            counter(
                m,
                "weft_agent_" + name + "_total",
                "Device counter " + name.replace('_', ' ') + " (backend)",
                value));
    help(m, "weft_agent_drops_total", "Frames dropped by the host, by reason", "counter");
    for (DropReason r : DropReason.values()) {
      m.append("weft_agent_drops_total{reason=\"").append(r).append("\"} ");
      m.append(c.dropped(r)).append('\n');
    }
    Map<String, PortCounters> ports = new TreeMap<>(c.ports());
    portFamily(m, ports, "rx_frames", "Frames from the VM into the switch", PortCounters::rxFrames);
    portFamily(m, ports, "rx_bytes", "Bytes from the VM into the switch", PortCounters::rxBytes);
    portFamily(m, ports, "tx_frames", "Frames delivered to the VM", PortCounters::txFrames);
    portFamily(m, ports, "tx_bytes", "Bytes delivered to the VM", PortCounters::txBytes);
    help(m, "weft_agent_port_drops_total", "Frames dropped per port, by reason", "counter");
    ports.forEach((port, pc) -> {
      for (var e : new TreeMap<>(pc.drops()).entrySet()) {
        m.append("weft_agent_port_drops_total{port=\"")
            .append(escape(port))
            .append("\",reason=\"")
            .append(e.getKey())
            .append("\"} ")
            .append(e.getValue())
            .append('\n');
      }
    });
    return new Answer(200, "text/plain; version=0.0.4; charset=utf-8", m.toString());
  }

  private static void portFamily(
      StringBuilder m,
      Map<String, PortCounters> ports,
      String what,
      String meaning,
      java.util.function.ToLongFunction<PortCounters> value) {
    String name = "weft_agent_port_" + what + "_total";
    help(m, name, meaning, "counter");
    ports.forEach((port, pc) ->
        m.append(name)
            .append("{port=\"")
            .append(escape(port))
            .append("\"} ")
            .append(value.applyAsLong(pc))
            .append('\n'));
  }

  private static void gauge(StringBuilder m, String name, String meaning, long value) {
    help(m, name, meaning, "gauge");
    m.append(name).append(' ').append(value).append('\n');
  }

  private static void counter(StringBuilder m, String name, String meaning, long value) {
    help(m, name, meaning, "counter");
    m.append(name).append(' ').append(value).append('\n');
  }

  private static void help(StringBuilder m, String name, String meaning, String type) {
    m.append("# HELP ").append(name).append(' ').append(meaning).append('\n');
    m.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** Label values: backslash, quote and newline escaped, as the text format wants. */
  static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
