package io.weft.fabric.wakeup;

import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One {@link ReplicaNotifications} per application: one LISTEN connection for every channel. */
@Configuration(proxyBeanMethods = false)
class WakeUpConfiguration {

  @Bean
  ReplicaNotifications replicaNotifications(
      DataSource dataSource,
      @Value("${weft.replica-notifications.check-interval:2s}") Duration checkInterval,
      @Value("${weft.replica-notifications.check-timeout:5s}") Duration checkTimeout) {
    return new ReplicaNotifications(dataSource, checkInterval, checkTimeout);
  }
}
