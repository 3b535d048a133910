package io.weft.portal.api;

import io.weft.portal.H2ApplicationTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The API contract on H2, on a database of its own: the contract counts hosts and placements, so
 * hosts that other tests register in the shared H2 context would change where VMs land.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:weft-api-contract;DB_CLOSE_DELAY=-1",
      "weft.admin-password=" + H2ApplicationTest.ADMIN_PASSWORD
    })
class FabricApiOnH2Test extends FabricApiContract {

  @LocalServerPort int port;

  @Override
  int port() {
    return port;
  }
}
