package io.weft.portal.api;

import io.weft.portal.H2ApplicationTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Paged lists on H2, on a database of their own: the operator's walks count every VM. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:weft-paged-lists;DB_CLOSE_DELAY=-1",
      "weft.admin-password=" + H2ApplicationTest.ADMIN_PASSWORD
    })
class PagedListsOnH2Test extends PagedListsContract {

  @LocalServerPort int port;

  @Override
  int port() {
    return port;
  }
}
