package io.weft.dataplane.lab;

import java.util.concurrent.CountDownLatch;

/**
 * {@code ./weft lab up}: builds the {@link TwoTenantLab} and keeps its two agents forwarding until
 * the process is stopped ({@code ./weft lab down} sends SIGTERM), then removes the namespaces. Try
 * {@code ip netns exec wl-a1 ping 10.0.0.11} (tenant A) next to {@code ip netns exec wl-b1 ping
 * 10.0.0.11} (tenant B, same address, another VM).
 */
public final class LabMain {

  private LabMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("sweep")) {
      Lab.sweep();
      return;
    }
    String reason = Lab.unavailableReason();
    if (reason != null) {
      System.err.println("weft lab: " + reason);
      System.exit(2);
    }
    LabCloud cloud = TwoTenantLab.build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> {
              cloud.close();
              stopped.countDown();
            }));
    System.out.println(
        """
        weft lab: ready. Two Weft agents (wl-h1 192.168.77.1, wl-h2 192.168.77.2, NVGRE) and
        two tenants with identical CIDRs; each VM is a namespace whose eth0 is a TAP port.
          tenant A: wl-a1 10.0.0.10@h1, wl-a2 10.0.0.11@h2, wl-a3 10.0.1.10@h2 (routed)
          tenant B: wl-b1 10.0.0.10@h1, wl-b2 10.0.0.11@h2, wl-b3 10.0.0.12@h2
          DHCP:     wl-d1@h2, wl-d2@h1 (try: ip netns exec wl-d1 busybox udhcpc -i eth0 -q -n)
        Try: ip netns exec wl-a1 ping 10.0.0.11      ip netns exec wl-a1 ping 10.0.1.10
             ip netns exec wl-a1 ping 10.0.0.12  (tenant B's address: no answer)
        Stop with ./weft lab down.\
        """);
    stopped.await();
  }
}
