package io.weft.portal.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.server.VaadinService;
import org.junit.jupiter.api.Test;

/** The idle timeout also ends sessions whose tab stays open (Vaadin's heartbeat does not count). */
class SessionSettingsTest extends BrowserlessViewTest {

  @Test
  void heartbeatsDoNotKeepAnIdleSessionAlive() {
    assertThat(VaadinService.getCurrent().getDeploymentConfiguration().isCloseIdleSessions())
        .isTrue();
  }
}
