package io.weft.fabric.tables.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.fabric.FabricTestApplication;
import io.weft.fabric.HostService;
import io.weft.fabric.NewHost;
import io.weft.fabric.NewLogicalNetwork;
import io.weft.fabric.tables.HostTableService;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The MTU a host's DHCP responder offers (option 26) is its logical network's underlay MTU (1500
 * unless configured) minus the encapsulation's overhead: NVGRE 42 (outer IPv4 20 + GRE with key 8 +
 * inner Ethernet 14), VXLAN 50 (outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14).
 */
@SpringBootTest(classes = FabricTestApplication.class)
class OverlayMtuFromLogicalNetworkTest {

  @Autowired HostService hosts;
  @Autowired HostTableService tables;

  @ParameterizedTest
  @CsvSource(
      nullValues = "default",
      value = {
        "NVGRE, default, 1458",
        "VXLAN, default, 1450",
        "NVGRE, 9000, 8958",
        "VXLAN, 1280, 1230"
      })
  void overlayMtuIsTheUnderlayMtuLessTheEncapsulation(
      String encapsulation, Integer mtu, int overlay) {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    var ln =
        hosts.createLogicalNetwork(
            Cloud.OPERATOR,
            new NewLogicalNetwork("mtu-" + tag, "10.201.0.0/16", encapsulation, mtu));
    assertThat(ln.mtu()).isEqualTo(mtu == null ? 1500 : mtu);
    var host =
        hosts.registerHost(
            Cloud.OPERATOR, new NewHost("mtu-h-" + tag, ln.id().toString(), null, 4));
    assertThat(tables.intendedTable(host.host().id()).overlayMtu()).isEqualTo(overlay);
  }
}
