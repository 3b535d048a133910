package io.weft.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * HAProxy in front of the replicas, run from the repository's own {@code
 * docker/haproxy/haproxy.cfg} (the file compose uses), with TLS on a self-signed certificate made
 * for this run.
 */
public final class HaproxyBalancer implements AutoCloseable {

  private final Path config;
  private final Path dir;
  private final int port;
  private final List<String> replicas;
  private final List<Integer> checkPorts;
  private Process process;
  private SSLContext trust;

  /**
   * {@code checkPorts}: each replica's management port, where HAProxy sends its readiness checks.
   */
  HaproxyBalancer(
      Path config, Path dir, int port, List<String> replicas, List<Integer> checkPorts) {
    this.config = config;
    this.dir = dir;
    this.port = port;
    this.replicas = List.copyOf(replicas);
    this.checkPorts = List.copyOf(checkPorts);
  }

  /** Why HAProxy or openssl cannot run here, or empty. */
  static java.util.Optional<String> unavailableReason() {
    for (String tool : List.of("haproxy", "openssl")) {
      if (!onPath(tool)) {
        return java.util.Optional.of(
            tool + " is not installed (Debian: apt-get install haproxy openssl)");
      }
    }
    return java.util.Optional.empty();
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin", tool));
  }

  public int port() {
    return port;
  }

  /** The HAProxy process's id, or -1 before it started. */
  public long pid() {
    return process == null ? -1 : process.pid();
  }

  void start() {
    try {
      Files.createDirectories(dir);
      Path key = dir.resolve("key.pem");
      Path cert = dir.resolve("cert.pem");
      run(
          "openssl",
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "2",
          "-subj",
          "/CN=localhost",
          "-addext",
          "subjectAltName=DNS:localhost,IP:127.0.0.1",
          "-keyout",
          key.toString(),
          "-out",
          cert.toString());
      Path pem = dir.resolve("balancer.pem");
      Files.write(pem, concat(Files.readAllBytes(cert), Files.readAllBytes(key)));
      trust = trusting(cert);
      ProcessBuilder builder =
          new ProcessBuilder(haproxy(), "-db", "-f", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(dir.resolve("haproxy.log").toFile()));
      builder.environment().put("WEFT_LB_BIND", "127.0.0.1:" + port);
      builder.environment().put("WEFT_LB_CERT", pem.toString());
      builder.environment().put("WEFT_REPLICA_1", replicas.get(0));
      builder.environment().put("WEFT_REPLICA_2", replicas.get(1));
      builder.environment().put("WEFT_REPLICA_1_CHECK_PORT", checkPorts.get(0).toString());
      builder.environment().put("WEFT_REPLICA_2_CHECK_PORT", checkPorts.get(1).toString());
      process = builder.start();
      awaitListening(Duration.ofSeconds(10));
    } catch (IOException e) {
      throw new IllegalStateException("could not start HAProxy", e);
    }
  }

  /** An SSL context that trusts this balancer's self-signed certificate (and nothing else). */
  public SSLContext sslContext() {
    return trust;
  }

  public Path log() {
    return dir.resolve("haproxy.log");
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void awaitListening(Duration max) {
    Instant deadline = Instant.now().plus(max);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("HAProxy exited; see " + log());
      }
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        ReplicaProcess.sleep(Duration.ofMillis(100));
      }
    }
    throw new IllegalStateException("HAProxy not listening on " + port + "; see " + log());
  }

  private static String haproxy() {
    return Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : "haproxy";
  }

  private static SSLContext trusting(Path certificate) {
    try (InputStream in = Files.newInputStream(certificate)) {
      Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("weft-balancer", cert);
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException("could not trust " + certificate, e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
