package io.weft.portal.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents' way to the fabric, which a test can take away: a TCP relay on a loopback port to the
 * fabric's port. {@link #stop()} closes the listening socket and resets every open connection, so
 * agents see what a killed fabric looks like (long-polls cut, new connections refused) while the
 * fabric's model stays available to the test; {@link #start()} listens on the same port again.
 */
final class FabricProxy implements AutoCloseable {

  private final int fabricPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket listener;
  private int port;

  FabricProxy(int fabricPort) throws IOException {
    this.fabricPort = fabricPort;
    start();
  }

  /** The fabric URL for agents. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  synchronized void start() throws IOException {
    if (listener != null) {
      return;
    }
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    port = s.getLocalPort();
    listener = s;
    Thread.ofVirtual().name("fabric-proxy-accept").start(() -> accept(s));
  }

  /** The fabric is gone for the agents: refused connections, cut long-polls. */
  synchronized void stop() throws IOException {
    ServerSocket s = listener;
    listener = null;
    if (s != null) {
      s.close();
    }
    for (Socket c : open) {
      try {
        c.setSoLinger(true, 0); // reset, as a killed process's sockets are
        c.close();
      } catch (IOException e) {
        // closed already by its pump
      }
    }
    open.clear();
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket agent = s.accept();
        Socket fabric = new Socket(InetAddress.getLoopbackAddress(), fabricPort);
        open.add(agent);
        open.add(fabric);
        if (listener != s) { // stopped while connecting
          agent.close();
          fabric.close();
          return;
        }
        Thread.ofVirtual().start(() -> pump(agent, fabric));
        Thread.ofVirtual().start(() -> pump(fabric, agent));
      } catch (IOException e) {
        // closed by stop(), or one connection failed: the agent retries
      }
    }
  }

  private void pump(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // the other side or stop() closed it
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void closeQuietly(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
