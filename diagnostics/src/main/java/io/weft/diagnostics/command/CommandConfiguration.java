package io.weft.diagnostics.command;

import io.weft.diagnostics.AgentCommands;
import io.weft.fabric.HostService;
import io.weft.fabric.wakeup.ReplicaNotifications;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the command path; wake-ups across replicas go through the fabric's ReplicaNotifications.
 */
@Configuration(proxyBeanMethods = false)
class CommandConfiguration {

  @Bean
  CommandSignals commandSignals(ReplicaNotifications replicas) {
    return new CommandSignals(replicas);
  }

  @Bean
  AgentCommands agentCommands(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      CommandSignals signals,
      HostService hosts,
      Clock clock,
      @Value("${weft.diagnostics.command-result-max-bytes:8388608}") int maxResultBytes) {
    return new JdbcAgentCommands(jdbc, transactions, signals, hosts, clock, maxResultBytes);
  }
}
