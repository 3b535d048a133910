package io.weft.fabric.internal;

import javax.sql.DataSource;

/** {@link AgentTokensContract} on H2, as `./weft run` uses it: one process, one replica. */
class AgentTokensOnH2Test extends AgentTokensContract {

  @Override
  DataSource anotherReplicasDataSource() {
    return dataSource;
  }
}
