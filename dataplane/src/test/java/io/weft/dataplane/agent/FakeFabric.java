package io.weft.dataplane.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The fabric's agent endpoints as the wire format says: serves queued snapshots, otherwise holds a
 * long-poll briefly and answers 204; records status reports.
 */
final class FakeFabric implements AutoCloseable {

  private final HttpServer server;
  private final LinkedBlockingQueue<HostTable> snapshots = new LinkedBlockingQueue<>();
  final List<String> statuses = new CopyOnWriteArrayList<>();

  FakeFabric() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/agent/table", this::table);
    server.createContext("/api/v1/agent/status", this::status);
    server.createContext("/api/v1/agent/leases", x -> reply(x, 404, ""));
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void serve(HostTable table) {
    snapshots.add(table);
  }

  /** The last status report that mentions {@code text}, waiting up to 5 s. */
  String statusContaining(String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      for (int i = statuses.size() - 1; i >= 0; i--) {
        if (statuses.get(i).contains(text)) {
          return statuses.get(i);
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no status report mentions " + text + ": " + statuses);
  }

  /** Waits up to 5 s for {@code count} status reports in all. */
  void awaitReports(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (statuses.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(count + " status reports expected, got " + statuses.size());
      }
      Thread.sleep(20);
    }
  }

  private void table(HttpExchange x) throws IOException {
    HostTable next;
    try {
      next = snapshots.poll(200, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      next = null;
    }
    if (next == null) {
      reply(x, 204, "");
    } else {
      reply(x, 200, TableJson.write(new TableMessage.Snapshot(next)));
    }
  }

  private void status(HttpExchange x) throws IOException {
    statuses.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    reply(x, 204, "");
  }

  /** Answers {@code x} with {@code body} as JSON (none when empty) and closes it. */
  static void reply(HttpExchange x, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      x.getResponseBody().write(b);
    }
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
