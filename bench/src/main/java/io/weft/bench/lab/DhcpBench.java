package io.weft.bench.lab;

import io.weft.dataplane.lab.Lab;
import io.weft.dataplane.lab.LabCloud;
import io.weft.dataplane.lab.TwoTenantLab;
import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.Encapsulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code ./weft bench dhcp [VMS]}: VMS (default 200) VM namespaces behind two Weft agents (linux
 * backend, NVGRE) start busybox udhcpc at the same moment (each client waits on a FIFO); reports
 * the time until every client holds its lease (the last client's exit), and the agents' responder
 * rate: DHCP exchanges (DISCOVER/OFFER and REQUEST/ACK, two per client) per second between the
 * first and the last ACK the agents granted. Addresses come from the hosts' tables ("the fabric"
 * assigned them, as in the lab tests); no fabric runs here, so nothing is recorded by one. Needs
 * root and busybox.
 */
public final class DhcpBench {

  private static final UUID NETWORK = UUID.fromString("00000000-0000-0000-0000-0000000000dc");

  private DhcpBench() {}

  public static void main(String[] args) throws Exception {
    int vms = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    String reason = Lab.unavailableReason();
    if (reason != null) {
      System.err.println("bench dhcp: " + reason);
      System.exit(2);
    }
    try (LabCloud cloud = LabCloud.start(Encapsulation.NVGRE, List.of("h1", "h2"))) {
      cloud.network(NETWORK, TwoTenantLab.subnet(5001, "10.20.0.0/16", "10.20.0.1"));
      long made = System.nanoTime();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < vms; i++) {
        String name = String.format(Locale.ROOT, "q%03d", i);
        String mac = String.format(Locale.ROOT, "02:dc:00:00:%02x:%02x", i >> 8, i & 0xff);
        String ip = "10.20." + (1 + i / 200) + "." + (10 + i % 200);
        cloud.vm(name, i % 2 == 0 ? "h1" : "h2", NETWORK, 5001, mac, ip, AddressingMode.DHCP);
        names.add(name);
      }
      cloud.push();
      System.out.printf(
          "%d VM namespaces with taps on 2 agents in %.1f s%n",
          vms, (System.nanoTime() - made) / 1e9);
      ConcurrentLinkedQueue<Long> acks = new ConcurrentLinkedQueue<>();
      for (String h : List.of("h1", "h2")) {
        cloud.host(h).agent().onLeaseChange(() -> acks.add(System.nanoTime()));
      }
      // Forking 200 clients takes seconds on 2 cores: each first opens a FIFO, which blocks
      // (using no CPU) until the harness opens it for writing, so they really start together and
      // the figures measure the responder, not the launch.
      Path go = Files.createTempDirectory("weft-dhcp-bench-").resolve("go");
      new ProcessBuilder("mkfifo", go.toString()).inheritIO().start().waitFor();
      String client =
          ": < " + go + "; exec busybox udhcpc -i eth0 -f -q -n -t 20 -T 1 -s /bin/true";
      long forking = System.nanoTime();
      List<Process> clients = new ArrayList<>();
      for (String name : names) {
        clients.add(cloud.lab().spawn(Lab.PREFIX + name, "sh", "-c", client));
      }
      System.out.printf(
          Locale.ROOT, "%d clients forked in %.2f s%n", vms, (System.nanoTime() - forking) / 1e9);
      Thread.sleep(500);
      long start = System.nanoTime();
      Files.newOutputStream(go).close(); // every client's open returns, then reads end of file
      int failed = 0;
      for (Process p : clients) {
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (p.waitFor() != 0) {
          failed++;
        }
      }
      long allLeased = System.nanoTime();
      Files.delete(go);
      Files.delete(go.getParent());
      List<Long> times = new ArrayList<>(acks);
      times.sort(null);
      double ackSpan = times.size() < 2 ? Double.NaN : (times.getLast() - times.getFirst()) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "%d clients started together: all leased after %.2f s (%d failed); %d ACKs granted,"
              + " first %.3f s and last %.3f s after the start: %.0f exchanges/s%n",
          vms,
          (allLeased - start) / 1e9,
          failed,
          times.size(),
          times.isEmpty() ? Double.NaN : (times.getFirst() - start) / 1e9,
          times.isEmpty() ? Double.NaN : (times.getLast() - start) / 1e9,
          2 * times.size() / ackSpan);
    }
  }
}
