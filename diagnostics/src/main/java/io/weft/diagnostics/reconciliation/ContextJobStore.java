package io.weft.diagnostics.reconciliation;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.quartz.SchedulerConfigException;
import org.quartz.spi.ClassLoadHelper;
import org.quartz.spi.SchedulerSignaler;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.scheduling.quartz.LocalDataSourceJobStore;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;

/**
 * Spring's job store, with connection providers of its own. Spring registers them in Quartz's
 * JVM-wide {@link DBConnectionManager} under the scheduler's name, which clustered replicas share
 * by design. Two replicas in one JVM (the two-replica tests) then overwrite each other's entry: one
 * context's Quartz takes connections from the other's pool inside its own transaction, releases
 * them against its own pool, so closes a connection still bound to the thread ("Couldn't retrieve
 * trigger: Connection is closed" at start). Here the names carry an identity of this store.
 */
public class ContextJobStore extends LocalDataSourceJobStore {

  @Override
  public void initialize(ClassLoadHelper loadHelper, SchedulerSignaler signaler)
      throws SchedulerConfigException {
    super.initialize(loadHelper, signaler);
    DataSource transactional = SchedulerFactoryBean.getConfigTimeDataSource();
    DataSource plain =
        Objects.requireNonNullElse(
            SchedulerFactoryBean.getConfigTimeNonTransactionalDataSource(), transactional);
    String identity = getInstanceName() + "#" + UUID.randomUUID();
    String tx = TX_DATA_SOURCE_PREFIX + identity;
    String nonTx = NON_TX_DATA_SOURCE_PREFIX + identity;
    // Released by closeConnection against the same data source: DataSourceUtils pairs them.
    DBConnectionManager.getInstance()
        .addConnectionProvider(tx, provider(() -> DataSourceUtils.doGetConnection(transactional)));
    DBConnectionManager.getInstance().addConnectionProvider(nonTx, provider(plain::getConnection));
    setDataSource(tx);
    setNonManagedTXDataSource(nonTx);
  }

  private interface ConnectionSource {
    Connection get() throws SQLException;
  }

  private static ConnectionProvider provider(ConnectionSource source) {
    return new ConnectionProvider() {
      @Override
      public Connection getConnection() throws SQLException {
        return source.get();
      }

      @Override
      public void shutdown() {
        // The data source is the application's; Spring closes it.
      }

      @Override
      public void initialize() {}
    };
  }
}
