package io.weft.portal.api;

import io.weft.portal.H2ApplicationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@H2ApplicationTest
class FabricApiOnH2Test extends FabricApiContract {

  @LocalServerPort int port;

  @Override
  int port() {
    return port;
  }
}
