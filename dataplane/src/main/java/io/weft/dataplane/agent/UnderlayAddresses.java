package io.weft.dataplane.agent;

import java.io.IOException;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads (and, when told to, adds) the addresses of the host's underlay interface. */
public interface UnderlayAddresses {

  /** The interface's addresses as {@code address/prefixLength}; IOException if it is absent. */
  List<String> of(String interfaceName) throws IOException;

  /** Adds {@code cidr} (e.g. {@code 192.168.100.7/24}) to the interface. */
  void add(String interfaceName, String cidr) throws IOException;

  /** This machine's interfaces, in the agent's network namespace; adds with {@code ip address}. */
  static UnderlayAddresses system() {
    return new UnderlayAddresses() {
      @Override
      public List<String> of(String interfaceName) throws IOException {
        NetworkInterface nic = NetworkInterface.getByName(interfaceName);
        if (nic == null) {
          throw new IOException("there is no interface " + interfaceName);
        }
        List<String> out = new ArrayList<>();
        for (InterfaceAddress a : nic.getInterfaceAddresses()) {
          String host = a.getAddress().getHostAddress();
          int zone = host.indexOf('%');
          out.add((zone < 0 ? host : host.substring(0, zone)) + "/" + a.getNetworkPrefixLength());
        }
        return out;
      }

      @Override
      public void add(String interfaceName, String cidr) throws IOException {
        Process p =
            new ProcessBuilder("ip", "address", "add", cidr, "dev", interfaceName)
                .redirectErrorStream(true)
                .start();
        try {
          if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("ip address add " + cidr + " did not finish");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
          throw new IOException(
              "ip address add " + cidr + " dev " + interfaceName + ": " + output.strip());
        }
      }
    };
  }
}
