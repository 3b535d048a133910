package io.weft.fabric.wakeup;

import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One {@link ReplicaNotifications} per application: one LISTEN connection for every channel. */
@Configuration(proxyBeanMethods = false)
class WakeUpConfiguration {

  @Bean
  ReplicaNotifications replicaNotifications(DataSource dataSource) {
    return new ReplicaNotifications(dataSource);
  }
}
