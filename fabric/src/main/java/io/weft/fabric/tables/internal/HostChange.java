package io.weft.fabric.tables.internal;

import io.weft.dataplane.table.VmNetworkChange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** What one compile changes on one host: networks leaving, joining and changing. */
final class HostChange {

  final List<UUID> removed = new ArrayList<>();
  final List<VmNetworkChange> changes = new ArrayList<>();
  final Set<UUID> joined = new LinkedHashSet<>();

  boolean isEmpty() {
    return removed.isEmpty() && changes.isEmpty();
  }
}
