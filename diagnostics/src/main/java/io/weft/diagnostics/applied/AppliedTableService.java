package io.weft.diagnostics.applied;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.TableMessage;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.diagnostics.AgentCommand;
import io.weft.diagnostics.AgentCommands;
import io.weft.diagnostics.AppliedDigests;
import io.weft.diagnostics.trace.AppliedTableSource;
import io.weft.fabric.FabricException;
import io.weft.fabric.HostId;
import io.weft.fabric.InvalidRequestException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link AppliedDigests} and {@link AppliedTableSource}: keeps each host's reported per-network
 * digests in {@code diag_applied_digests} (written only when they change), and where one differs
 * from the intended network's digest asks the host's agent for its entries (REPORT_ENTRIES) and
 * returns the intended table with that network as the agent has it.
 */
@Service
class AppliedTableService implements AppliedDigests, AppliedTableSource {

  static final String KIND = "REPORT_ENTRIES";
  private static final int MAX_NETWORKS = 100_000;

  private final JdbcClient jdbc;
  private final AgentCommands commands;
  private final Clock clock;
  private final Duration answerWait;

  /** What this replica last wrote per host, to skip unchanged heartbeats. */
  private final Map<HostId, String> lastWritten = new ConcurrentHashMap<>();

  AppliedTableService(
      JdbcClient jdbc,
      AgentCommands commands,
      Clock clock,
      @Value("${weft.diagnostics.applied-entries-wait:3s}") Duration answerWait) {
    this.jdbc = jdbc;
    this.commands = commands;
    this.clock = clock;
    this.answerWait = answerWait;
  }

  @Override
  public void record(HostId host, long generation, Map<String, String> networkDigests) {
    if (networkDigests.size() > MAX_NETWORKS) {
      throw new InvalidRequestException("too many networkDigests", "networkDigests");
    }
    ObjectNode json = TableJson.mapper().createObjectNode();
    new TreeMap<>(networkDigests).forEach(json::put);
    String text = generation + " " + json;
    if (text.equals(lastWritten.get(host))) {
      return;
    }
    Timestamp now = Timestamp.from(clock.instant());
    if (update(host, generation, json.toString(), now) == 0) {
      try {
        jdbc.sql(
                "INSERT INTO diag_applied_digests (host_id, generation, digests, reported_at)"
                    + " VALUES (:h, :g, :d, :at)")
            .param("g", generation)
            .param("d", json.toString())
            .param("at", now)
            .param("h", host.value())
            .update();
      } catch (DuplicateKeyException e) {
        // the host's first reports at once (an agent resending after a lost answer): the other
        // inserted its row since; this report's digests are as new, so they are written over it
        update(host, generation, json.toString(), now);
      }
    }
    lastWritten.put(host, text);
  }

  private int update(HostId host, long generation, String digests, Timestamp now) {
    return jdbc.sql(
            "UPDATE diag_applied_digests SET generation = :g, digests = :d, reported_at = :at"
                + " WHERE host_id = :h")
        .param("g", generation)
        .param("d", digests)
        .param("at", now)
        .param("h", host.value())
        .update();
  }

  private Optional<JsonNode> reported(HostId host) {
    return jdbc.sql("SELECT digests FROM diag_applied_digests WHERE host_id = :h")
        .param("h", host.value())
        .query(String.class)
        .optional()
        .map(t -> TableJson.mapper().readTree(t));
  }

  @Override
  public AppliedView applied(HostId host, HostTable intended, UUID network) {
    Optional<JsonNode> digests = reported(host);
    if (digests.isEmpty()) {
      return new AppliedView(
          intended, "UNKNOWN", "has not reported per-network digests (traced as intended)");
    }
    String key = network.toString();
    Optional<VmNetworkTable> intendedNetwork = find(intended, network);
    String want = intendedNetwork.map(TableJson::networkDigest).orElse(null);
    JsonNode have = digests.get().get(key);
    String got = have == null || have.isNull() ? null : have.asString();
    if (Objects.equals(want, got)) {
      return new AppliedView(intended, "SAME", "applies the intended entries for this VM network");
    }
    ObjectNode payload = TableJson.mapper().createObjectNode();
    payload.putArray("networks").add(key);
    AgentCommand answer;
    try {
      AgentCommand sent = commands.send(host, KIND, payload.toString(), answerWait.plusSeconds(2));
      answer = commands.awaitResult(sent.id(), answerWait);
    } catch (FabricException e) {
      return new AppliedView(
          intended, "UNKNOWN", "its entries differ but could not be asked for: " + e.getMessage());
    }
    if (answer.state() != AgentCommand.CommandState.SUCCEEDED) {
      return new AppliedView(
          intended,
          "UNKNOWN",
          "its entries for this VM network differ from the intended ones, and its agent did not"
              + " report them within "
              + answerWait.toSeconds()
              + " s (traced as intended)");
    }
    JsonNode result = TableJson.mapper().readTree(answer.result());
    HostTable agents =
        ((TableMessage.Snapshot)
                TableJson.read(
                    "{\"formatVersion\":1,\"kind\":\"snapshot\",\"table\":"
                        + result.path("table")
                        + "}"))
            .table();
    Optional<VmNetworkTable> appliedNetwork = find(agents, network);
    List<VmNetworkTable> networks = new ArrayList<>();
    for (VmNetworkTable n : intended.networks()) {
      if (!n.routingDomainId().equals(network)) {
        networks.add(n);
      }
    }
    appliedNetwork.ifPresent(networks::add);
    HostTable table =
        new HostTable(
            intended.hostId(),
            agents.generation(),
            intended.encapsulation(),
            intended.localPa(),
            intended.overlayMtu(),
            networks);
    return new AppliedView(
        table, "DIFFERS", difference(intendedNetwork, appliedNetwork, agents, intended));
  }

  private static String difference(
      Optional<VmNetworkTable> intended,
      Optional<VmNetworkTable> applied,
      HostTable agents,
      HostTable fabric) {
    String generations =
        agents.generation() == fabric.generation()
            ? "at the intended generation " + fabric.generation()
            : "at generation " + agents.generation() + " (intended " + fabric.generation() + ")";
    if (applied.isEmpty()) {
      return "does not have this VM network at all, " + generations;
    }
    int records = applied.get().lookupRecords().size();
    int wanted = intended.map(n -> n.lookupRecords().size()).orElse(0);
    int ports = applied.get().ports().size();
    int wantedPorts = intended.map(n -> n.ports().size()).orElse(0);
    return "applies other entries for this VM network "
        + generations
        + ": "
        + records
        + " lookup records and "
        + ports
        + " ports where "
        + wanted
        + " and "
        + wantedPorts
        + " are intended";
  }

  private static Optional<VmNetworkTable> find(HostTable table, UUID network) {
    return table.networks().stream().filter(n -> n.routingDomainId().equals(network)).findFirst();
  }
}
