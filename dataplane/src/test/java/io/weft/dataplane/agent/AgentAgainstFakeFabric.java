package io.weft.dataplane.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.weft.dataplane.pipeline.CounterSnapshot;
import io.weft.dataplane.pipeline.DropRing;
import io.weft.dataplane.pipeline.LeaseAuthority;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableFixtures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A host agent ({@code host-1}, starting on an empty table) against a fake fabric on a loopback
 * port: the test answers the table long-poll (and any other endpoint) its own way, the fabric
 * records every status report and accepts it (204) unless told otherwise. The agent's forwarder
 * records the tables it installs. Closing stops the fabric; the test closes its clients first.
 */
final class AgentAgainstFakeFabric implements AutoCloseable {

  static final String TOKEN = "host-1-token";

  /** The status reports' bodies, in the order they came. */
  final List<String> statuses = new CopyOnWriteArrayList<>();

  /** The tables the forwarder installed, in order. */
  final List<HostTable> installed = new CopyOnWriteArrayList<>();

  final LeaseBook leases = new LeaseBook(LeaseAuthority.TABLE_ONLY);
  final HostAgent agent;
  private final HttpServer server;
  private volatile int reportAnswer = 204;

  /** A fabric answering the table long-poll with {@code table}; the agent keeps no drops. */
  AgentAgainstFakeFabric(HttpHandler table) throws IOException {
    this(table, null);
  }

  /** As above, with the agent's switch keeping its drops in {@code drops}. */
  AgentAgainstFakeFabric(HttpHandler table, DropRing drops) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/agent/table", table);
    server.createContext("/api/v1/agent/status", this::status);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    HostTable initial =
        HostTable.empty(
            "host-1",
            TableFixtures.oneNetwork(1).encapsulation(),
            TableFixtures.oneNetwork(1).localPa());
    agent = new HostAgent(initial, forwarder(drops), leases);
  }

  private Forwarder forwarder(DropRing drops) {
    return new Forwarder() {
      @Override
      public void install(HostTable table) {
        installed.add(table);
      }

      @Override
      public CounterSnapshot counters() {
        return CounterSnapshot.EMPTY;
      }

      @Override
      public DropRing drops() {
        return drops;
      }
    };
  }

  /** Answers requests under {@code path} (e.g. the command endpoints) with {@code handler}. */
  void handle(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A table client of the agent with the fabric's token, not started. */
  TableClient tableClient(Duration wait, Duration backoffBase, Duration backoffMax) {
    return new TableClient(uri(), TOKEN, agent, wait, backoffBase, backoffMax);
  }

  /** Answers the status reports to come with HTTP {@code code} (recording them all the same). */
  void answerReportsWith(int code) {
    reportAnswer = code;
  }

  private void status(HttpExchange x) throws IOException {
    statuses.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    x.sendResponseHeaders(reportAnswer, -1);
    x.close();
  }

  /** Stops the fabric at once: requests under way and to come fail. */
  @Override
  public void close() {
    server.stop(0);
  }
}
