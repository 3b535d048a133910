package io.weft.portal.api;

import io.weft.portal.H2ApplicationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Reconciliation through the API on the H2 default (Quartz RAM store). */
@H2ApplicationTest
class ReconciliationApiOnH2Test extends ReconciliationApiContract {

  @LocalServerPort int serverPort;

  @Override
  int port() {
    return serverPort;
  }
}
