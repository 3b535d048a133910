package io.weft.portal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.portal.H2ApplicationTest;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document stays true: every operation the application serves under {@code /api/v1} is
 * documented, and nothing documented is missing from the application.
 */
@H2ApplicationTest
class OpenApiDocumentTest {

  @LocalServerPort int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  @Test
  void documentsExactlyTheOperationsTheApplicationServes() {
    Set<String> served = new TreeSet<>();
    mappings
        .getHandlerMethods()
        .keySet()
        .forEach(info ->
            info.getPatternValues().stream()
                .filter(p -> p.startsWith("/api/v1/"))
                .forEach(path ->
                    info.getMethodsCondition()
                        .getMethods()
                        .forEach(m -> served.add(m.name() + " " + path))));

    ApiClient.Response doc = ApiClient.anonymous(port).get("/v3/api-docs");
    assertThat(doc.status()).isEqualTo(200);
    Set<String> documented = new TreeSet<>();
    JsonNode paths = doc.body().path("paths");
    paths
        .propertyNames()
        .forEach(path ->
            paths
                .path(path)
                .propertyNames()
                .forEach(method -> documented.add(method.toUpperCase() + " " + path)));

    assertThat(served).as("the application serves some API").hasSizeGreaterThan(20);
    assertThat(documented).isEqualTo(served);
  }
}
