package io.weft.diagnostics.command;

import io.weft.diagnostics.AgentCommands;
import io.weft.fabric.HostService;
import java.sql.Connection;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the command path; the NOTIFY listener only on PostgreSQL (H2 runs one process). */
@Configuration(proxyBeanMethods = false)
class CommandConfiguration {

  @Bean
  CommandSignals commandSignals(JdbcClient jdbc, DataSource dataSource) {
    return new CommandSignals(jdbc, isPostgres(dataSource));
  }

  @Bean
  PgCommandListener pgCommandListener(DataSource dataSource, CommandSignals signals) {
    return new PgCommandListener(dataSource, signals, isPostgres(dataSource));
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

  static boolean isPostgres(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
    } catch (Exception e) {
      return false;
    }
  }
}
