package io.weft.dataplane.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.dataplane.table.VmSubnet;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one lab of a test run, shared by every root test class ({@code @ExtendWith(SharedLab.class)},
 * then {@link #cloud()}): the {@link TwoTenantLab}. Made once, on first use; removed when the run
 * ends (JUnit closes it from the root store), and swept on the next start if the JVM was killed.
 * Tests skip, saying why, only where the machine lacks root, {@code /dev/net/tun} or {@code ip}.
 */
public final class SharedLab implements BeforeAllCallback {

  public static final UUID NETWORK_A = TwoTenantLab.NETWORK_A;
  public static final UUID NETWORK_B = TwoTenantLab.NETWORK_B;

  private static volatile LabCloud cloud;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    String reason = Lab.unavailableReason();
    if (reason != null) {
      System.out.println("SKIPPED (lab): " + reason);
    }
    assumeTrue(reason == null, reason);
    synchronized (SharedLab.class) {
      if (cloud == null) {
        LabCloud c = TwoTenantLab.build();
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(SharedLab.class, c);
        cloud = c;
      }
    }
  }

  public static LabCloud cloud() {
    return cloud;
  }

  static VmSubnet subnet(int vsid, String cidr, String gateway) {
    return TwoTenantLab.subnet(vsid, cidr, gateway);
  }
}
