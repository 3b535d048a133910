package io.weft.diagnostics.drops;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.dataplane.table.VmSubnet;
import io.weft.diagnostics.DropEntry;
import io.weft.diagnostics.DropList;
import io.weft.diagnostics.DropQuery;
import io.weft.diagnostics.DropRecords;
import io.weft.diagnostics.ReportedDrop;
import io.weft.fabric.Caller;
import io.weft.fabric.FabricException;
import io.weft.fabric.Host;
import io.weft.fabric.HostId;
import io.weft.fabric.HostService;
import io.weft.fabric.InvalidRequestException;
import io.weft.fabric.NetworkService;
import io.weft.fabric.NotFoundException;
import io.weft.fabric.SecurityAuditLog;
import io.weft.fabric.TenantId;
import io.weft.fabric.VmNetworkId;
import io.weft.fabric.VmService;
import io.weft.fabric.VnicId;
import io.weft.fabric.tables.HostTableService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * {@link DropRecords}: resolves each reported drop to its VM network (and tenant) through the
 * host's intended table, keeps it bounded, and answers queries scoped to the caller.
 */
@Service
class DropRecordService implements DropRecords {

  static final String ACTION = "diagnostics.drops";
  static final int MAX_PER_REPORT = 1024;
  private static final int ADD_ATTEMPTS = 4;
  private static final Caller SYSTEM = Caller.system("diagnostics.drops");
  private static final Pattern REASON = Pattern.compile("[A-Z_]{1,32}");

  private final DropStore store;
  private final HostTableService tables;
  private final VmService vms;
  private final NetworkService networks;
  private final HostService hosts;
  private final SecurityAuditLog audit;
  private final Clock clock;
  private final int perHost;

  /** VM networks never change tenant: remembered once resolved. */
  private final Map<UUID, UUID> tenantOfNetwork = new ConcurrentHashMap<>();

  /** The same caller asking for the same scope again within a minute is not audited again. */
  private final Map<String, Instant> lastAudited = new ConcurrentHashMap<>();

  private static final Duration AUDIT_REPEATS_AFTER = Duration.ofMinutes(1);

  DropRecordService(
      DropStore store,
      HostTableService tables,
      VmService vms,
      NetworkService networks,
      HostService hosts,
      SecurityAuditLog audit,
      Clock clock,
      @Value("${weft.diagnostics.drops-per-host:1000}") int perHost) {
    this.store = store;
    this.tables = tables;
    this.vms = vms;
    this.networks = networks;
    this.hosts = hosts;
    this.audit = audit;
    this.clock = clock;
    this.perHost = perHost;
  }

  @Override
  public void record(
      HostId host, long lost, Map<Integer, Long> lostByVsid, List<ReportedDrop> drops) {
    if (drops.size() > MAX_PER_REPORT) {
      throw new InvalidRequestException(
          "at most " + MAX_PER_REPORT + " drop records per report", "dropRecords.records");
    }
    if (lost < 0) {
      throw new InvalidRequestException("lost must be 0 or more", "dropRecords.lost");
    }
    drops.forEach(DropRecordService::validate);
    Resolver resolver = new Resolver(host);
    List<StoredDrop> stored = new ArrayList<>(drops.size());
    for (ReportedDrop d : drops) {
      UUID network = resolver.network(d);
      stored.add(new StoredDrop(network == null ? null : resolver.tenant(network), network, d));
    }
    List<DropStore.NetworkLoss> networkLosses = new ArrayList<>();
    for (var e : lostByVsid.entrySet()) {
      UUID network = resolver.networkOfVsid(e.getKey());
      if (network != null && e.getValue() > 0) {
        networkLosses.add(
            new DropStore.NetworkLoss(network, resolver.tenant(network), e.getValue()));
      }
    }
    Instant now = clock.instant();
    addOnce(host, stored, lost, networkLosses, now);
  }

  /**
   * Two reports of one host may carry the same records at once (an agent resending after a lost
   * answer while its next report is under way): the store serializes them per host; a report that
   * loses the race for a new host's first row, or waits too long for the lock, is rolled back and
   * tried again (then skipping the records the other stored) instead of answering 500.
   */
  private void addOnce(
      HostId host,
      List<StoredDrop> stored,
      long lost,
      List<DropStore.NetworkLoss> networkLosses,
      Instant now) {
    for (int attempt = 1; ; attempt++) {
      try {
        store.add(host, stored, lost, networkLosses, perHost, now);
        return;
      } catch (DuplicateKeyException | ConcurrencyFailureException e) {
        if (attempt == ADD_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static void validate(ReportedDrop d) {
    String f = "dropRecords.records";
    if (d == null) {
      throw new InvalidRequestException("a drop record is null", f);
    }
    if (d.at() == null) {
      throw new InvalidRequestException("at is required (an ISO-8601 instant)", f + ".at");
    }
    if (d.reason() == null || !REASON.matcher(d.reason()).matches()) {
      throw new InvalidRequestException("reason must be a drop reason", f + ".reason");
    }
    if (d.portId() != null && d.portId().length() > 64) {
      throw new InvalidRequestException("portId is at most 64 characters", f + ".portId");
    }
    if (d.sequence() < 0) {
      throw new InvalidRequestException("sequence must be 0 or more", f + ".sequence");
    }
    if (d.decidedBy() == null || d.decidedBy().length() > 500) {
      throw new InvalidRequestException(
          "decidedBy is required, at most 500 characters", f + ".decidedBy");
    }
    for (String address : new String[] {d.source(), d.destination(), d.outerSource()}) {
      if (address != null && address.length() > 45) {
        throw new InvalidRequestException("an address is at most 45 characters", f + ".source");
      }
    }
  }

  /** Maps the host's ports and VSIDs to VM networks, and VM networks to tenants. */
  private final class Resolver {
    private final Map<String, UUID> byPort = new HashMap<>();
    private final Map<Integer, UUID> byVsid = new HashMap<>();
    private final Map<UUID, String> aPortOf = new HashMap<>();

    Resolver(HostId host) {
      HostTable table;
      try {
        table = tables.intendedTable(host);
      } catch (RuntimeException e) {
        return; // no table: nothing is resolved, the drops are operators' only
      }
      for (VmNetworkTable n : table.networks()) {
        for (VmSubnet s : n.subnets()) {
          byVsid.put(s.vsid(), n.routingDomainId());
        }
        for (PortEntry p : n.ports()) {
          byPort.put(p.portId(), n.routingDomainId());
          aPortOf.putIfAbsent(n.routingDomainId(), p.portId());
        }
      }
    }

    UUID network(ReportedDrop d) {
      UUID n = d.portId() == null ? null : byPort.get(d.portId());
      return n != null ? n : byVsid.get(d.vsid());
    }

    UUID networkOfVsid(int vsid) {
      return byVsid.get(vsid);
    }

    UUID tenant(UUID network) {
      UUID known = tenantOfNetwork.get(network);
      if (known != null) {
        return known;
      }
      String port = aPortOf.get(network);
      if (port == null) {
        return null;
      }
      try {
        var found = vms.findVmsByVnic(SYSTEM, List.of(VnicId.parse(port)));
        if (found.isEmpty()) {
          return null;
        }
        UUID tenant = found.getFirst().tenantId().value();
        tenantOfNetwork.put(network, tenant);
        return tenant;
      } catch (FabricException e) {
        return null;
      }
    }
  }

  @Override
  public DropList recent(Caller caller, DropQuery query) {
    DropQuery q = query == null ? new DropQuery(null, null, null) : query;
    try {
      DropList answer = list(caller, q);
      if (repeated(caller, answer.scope())) {
        return answer; // a page refreshing itself: audited once a minute, not every few seconds
      }
      audit.record(
          caller.username(),
          caller.tenant().orElse(null),
          ACTION,
          answer.scope(),
          "OK",
          answer.drops().size() + " drops, " + answer.lost() + " lost");
      return answer;
    } catch (FabricException e) {
      audit.refused(
          caller, ACTION, "vmNetwork " + q.vmNetwork() + " host " + q.host(), e.getMessage());
      throw e;
    }
  }

  private boolean repeated(Caller caller, String scope) {
    Instant now = clock.instant();
    String key = caller.username() + "|" + scope;
    Instant last = lastAudited.get(key);
    if (last != null && last.isAfter(now.minus(AUDIT_REPEATS_AFTER))) {
      return true;
    }
    if (lastAudited.size() > 10_000) {
      lastAudited.clear();
    }
    lastAudited.put(key, now);
    return false;
  }

  private DropList list(Caller caller, DropQuery q) {
    int limit = q.limit() == null ? 100 : q.limit();
    if (limit < 1 || limit > 1000) {
      throw new InvalidRequestException("limit must be between 1 and 1000", "limit");
    }
    UUID network =
        q.vmNetwork() == null || q.vmNetwork().isBlank() ? null : uuid(q.vmNetwork(), "vmNetwork");
    UUID host = q.host() == null || q.host().isBlank() ? null : uuid(q.host(), "host");
    Map<UUID, String> hostNames = new HashMap<>();
    if (!caller.isOperator()) {
      if (host != null) {
        throw new NotFoundException("no such host", "host"); // tenants see no hosts at all
      }
      TenantId tenant = caller.tenant().orElseThrow();
      String scope = "all VM networks of the tenant";
      if (network != null) {
        try {
          scope =
              "VM network "
                  + networks.getVmNetwork(caller, tenant, new VmNetworkId(network)).name();
        } catch (NotFoundException e) {
          throw new NotFoundException("no such VM network", "vmNetwork");
        }
      }
      List<DropEntry> entries = new ArrayList<>();
      for (DropStore.Row r : store.newest(tenant.value(), network, null, limit)) {
        entries.add(entry(r, false, hostNames));
      }
      // Only the tenant's own losses: a host's total would tell it about its neighbours' drops.
      return new DropList(scope, store.lostOfTenant(tenant.value(), network), entries);
    }
    for (Host h : hosts.listHosts(SYSTEM)) {
      hostNames.put(h.id().value(), h.name());
    }
    if (host != null && !hostNames.containsKey(host)) {
      throw new NotFoundException("no such host", "host");
    }
    List<DropEntry> entries = new ArrayList<>();
    for (DropStore.Row r : store.newest(null, network, host, limit)) {
      entries.add(entry(r, true, hostNames));
    }
    Set<UUID> scopeHosts = null;
    String scope = "all hosts";
    if (host != null) {
      scopeHosts = Set.of(host);
      scope = "host " + hostNames.get(host);
    }
    if (network != null) {
      scope = "VM network " + network + (host != null ? " on " + scope : "");
      return new DropList(scope, store.lostOfNetwork(network, host), entries);
    }
    return new DropList(scope, store.lost(scopeHosts), entries);
  }

  private static DropEntry entry(DropStore.Row r, boolean operator, Map<UUID, String> hostNames) {
    ReportedDrop d = r.drop();
    return new DropEntry(
        d.at(),
        operator ? hostNames.getOrDefault(r.host(), r.host().toString()) : null,
        d.portId(),
        r.vmNetwork() == null ? null : r.vmNetwork().toString(),
        d.vsid(),
        d.source(),
        d.destination(),
        d.protocol(),
        d.sourcePort(),
        d.destinationPort(),
        d.reason(),
        d.decidedBy(),
        d.generation(),
        operator ? d.outerSource() : null);
  }

  private static UUID uuid(String text, String field) {
    try {
      return UUID.fromString(text.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("'" + text + "' is not a valid id", field);
    }
  }
}
