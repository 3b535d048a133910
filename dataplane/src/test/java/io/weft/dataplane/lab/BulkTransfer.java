package io.weft.dataplane.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection (IPv4 or IPv6, as the address is) carrying seeded random bytes from a VM to a
 * receiver in another namespace; both ends print "BYTES SHA256", so a test compares what was sent
 * with what arrived.
 */
final class BulkTransfer {

  private static final Duration T = Duration.ofSeconds(30);

  private static final String RECEIVER =
      """
      import hashlib, socket, sys
      v6 = len(sys.argv) > 1 and sys.argv[1] == "6"
      s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET)
      s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
      s.bind(("::" if v6 else "0.0.0.0", 7100))
      s.listen()
      c, _ = s.accept()
      h, n = hashlib.sha256(), 0
      while True:
          b = c.recv(1 << 20)
          if not b:
              break
          h.update(b)
          n += len(b)
      print(n, h.hexdigest(), flush=True)
      """;

  private static final String SENDER =
      """
      import hashlib, random, socket, sys, time
      data = random.Random(int(sys.argv[2])).randbytes(int(sys.argv[3]))
      for attempt in range(50):
          try:
              s = socket.create_connection((sys.argv[1], 7100), timeout=10)
              break
          except ConnectionRefusedError:
              time.sleep(0.1)
      s.sendall(data)
      s.close()
      print(len(data), hashlib.sha256(data).hexdigest())
      """;

  private BulkTransfer() {}

  /**
   * Sends {@code bytes} from VM {@code fromVm} to {@code address}, received in namespace {@code
   * toNamespace}; returns {sent, received}, each "BYTES SHA256".
   */
  static String[] run(
      LabCloud cloud, String fromVm, String toNamespace, String address, long seed, int bytes)
      throws IOException, InterruptedException {
    String family = address.contains(":") ? "6" : "4";
    Process receiver = cloud.lab().spawn(toNamespace, "python3", "-c", RECEIVER, family);
    try {
      Lab.Result sent =
          cloud.exec(fromVm, T, "python3", "-c", SENDER, address, "" + seed, "" + bytes);
      assertThat(sent.ok()).as(sent.output()).isTrue();
      assertThat(receiver.waitFor(10, TimeUnit.SECONDS)).isTrue();
      String received =
          new String(receiver.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return new String[] {sent.output(), received};
    } finally {
      receiver.destroyForcibly();
    }
  }
}
