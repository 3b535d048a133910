package io.weft.dataplane.table;

/** What the fabric sends an agent: a whole table or the change since the agent's generation. */
public sealed interface TableMessage {

  /** The generation the agent has after applying this message. */
  long generation();

  /** A complete table; replaces whatever the agent had. */
  record Snapshot(HostTable table) implements TableMessage {
    @Override
    public long generation() {
      return table.generation();
    }
  }

  /** A change that applies only to {@code delta.fromGeneration()}. */
  record Delta(TableDelta delta) implements TableMessage {
    @Override
    public long generation() {
      return delta.toGeneration();
    }
  }
}
