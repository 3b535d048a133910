package io.weft.portal.operations;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;
import org.springframework.boot.tomcat.autoconfigure.TomcatVirtualThreadsWebServerFactoryCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServer;

/**
 * The management server's requests run on its own platform threads even though the application (and
 * Boot's customizer, applied first as in the child context) asks for virtual threads.
 */
class ManagementServerThreadsTest {

  @Test
  void requestsRunOnTheManagementServersOwnPlatformThreads() throws Exception {
    TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(0);
    new TomcatVirtualThreadsWebServerFactoryCustomizer().customize(factory);
    ExecutorService threads = ManagementServerThreads.platformThreads();
    ManagementServerThreads.customizer(threads).customize(factory);
    WebServer server =
        factory.getWebServer(context ->
            context
                .addServlet(
                    "thread",
                    new HttpServlet() {
                      @Override
                      protected void doGet(HttpServletRequest req, HttpServletResponse resp)
                          throws IOException {
                        Thread t = Thread.currentThread();
                        resp.getWriter().write(t.isVirtual() + " " + t.getName());
                      }
                    })
                .addMapping("/thread"));
    server.start();
    try {
      String body =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.getPort() + "/thread"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(body).startsWith("false weft-management-");
    } finally {
      server.stop();
      threads.shutdownNow();
    }
  }
}
