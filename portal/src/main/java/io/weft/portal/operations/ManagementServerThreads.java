package io.weft.portal.operations;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The management server ({@code management.server.port}, where the load balancer's readiness checks
 * and Prometheus go) on a few platform threads of its own. The application's requests run on
 * virtual threads, which share one carrier per core: a storm of table snapshots once kept those
 * carriers busy long enough that HAProxy's readiness checks timed out and it took both replicas out
 * ({@code ./weft bench scale}, docs/benchmarks.md). Platform threads are scheduled by the operating
 * system next to the carriers, so a check is answered in its own time slice however many virtual
 * threads are queued. Only in the management server's own context (it exists only when {@code
 * management.server.port} differs from the application's port): component scanning also finds this
 * class in the application's context, where {@link InManagementChildContext} turns it off.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@Conditional(ManagementServerThreads.InManagementChildContext.class)
public class ManagementServerThreads {

  /** Health checks and scrapes are short; a handful at once is plenty. */
  static final int THREADS = 4;

  @Bean(destroyMethod = "shutdownNow")
  ExecutorService managementRequestThreads() {
    return platformThreads();
  }

  @Bean
  WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> managementServerOnPlatformThreads(
      ExecutorService managementRequestThreads) {
    return customizer(managementRequestThreads);
  }

  /** Its own pool: {@value #THREADS} platform threads named {@code weft-management-N}. */
  static ExecutorService platformThreads() {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            Thread.ofPlatform().daemon().name("weft-management-", 1).factory());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Ordered last, so its executor replaces the virtual-thread executor that Boot's own customizer
   * installs when {@code spring.threads.virtual.enabled} is set.
   */
  static WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> customizer(
      ExecutorService threads) {
    return new Customizer(threads);
  }

  /** True in a context with a parent: the management server's child of the application. */
  static final class InManagementChildContext implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      ConfigurableListableBeanFactory beans = context.getBeanFactory();
      return beans != null && beans.getParentBeanFactory() != null;
    }
  }

  private record Customizer(ExecutorService threads)
      implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

    @Override
    public void customize(ConfigurableTomcatWebServerFactory factory) {
      factory.addProtocolHandlerCustomizers(handler -> handler.setExecutor(threads));
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
