package io.weft.diagnostics.probe;

import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.TableJson;
import io.weft.diagnostics.AgentCommand;
import io.weft.diagnostics.AgentCommand.CommandState;
import io.weft.diagnostics.ProbeAnswer;
import io.weft.diagnostics.ProbeAnswer.Check;
import io.weft.diagnostics.ProbeAnswer.Hop;
import io.weft.diagnostics.ProbeAnswer.State;
import io.weft.diagnostics.trace.FabricFacts;
import io.weft.diagnostics.trace.FabricFacts.HostFacts;
import io.weft.diagnostics.trace.MissingDestination;
import io.weft.fabric.HostId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Turns what the agents recorded for a probe into its answer: the hops in time order, the RTTs
 * measured on the source host's switch, the host's own answers, and one sentence that names where
 * and why it broke. Tenants see "source host" / "destination host" and no provider address.
 */
final class ProbeReport {

  private static final Pattern PA = Pattern.compile("PA \\d{1,3}(\\.\\d{1,3}){3}");

  private final ProbeRow row;
  private final AgentCommand inject;
  private final AgentCommand watch;
  private final FabricFacts facts;
  private final boolean operator;
  private final JsonNode source;
  private final JsonNode destination;

  ProbeReport(
      ProbeRow row, AgentCommand inject, AgentCommand watch, FabricFacts facts, boolean operator) {
    this.row = row;
    this.inject = inject;
    this.watch = watch;
    this.facts = facts;
    this.operator = operator;
    this.source = result(inject);
    this.destination = result(watch);
  }

  /** Whether the source's result alone settles the answer (nothing went to another host). */
  static boolean settledAtSource(AgentCommand inject) {
    JsonNode r = result(inject);
    if (r == null) {
      return inject != null && inject.finished();
    }
    if (r.path("sent").asInt() == 0) {
      return true;
    }
    for (JsonNode o : r.path("observations")) {
      if (o.path("direction").asString().equals("REQUEST")
          && o.path("stage").asString().equals("DROP")) {
        return true;
      }
    }
    return false;
  }

  ProbeAnswer answer() {
    String vm = facts.vnic(row.sourceVnic()).map(v -> v.vmName()).orElse("?");
    String from = vm + (source == null ? "" : " (" + source.path("sourceAddress").asString() + ")");
    List<Hop> hops = new ArrayList<>();
    addHops(hops, source, row.sourceHost(), "source host");
    addHops(hops, destination, row.destinationHost(), "destination host");
    hops.sort(Comparator.comparing(Hop::at));
    List<Double> rtts = rtts();
    List<Check> checks = checks();
    List<String> notes = new ArrayList<>();
    if (source != null && source.hasNonNull("note")) {
      notes.add(source.path("note").asString());
    }
    migrations().forEach(notes::add);
    olderAgent().ifPresent(notes::add);
    boolean running = row.refusal() == null && inject != null && !inject.finished();
    int sent = source == null ? 0 : source.path("sent").asInt();
    String summary =
        running ? "Running: the probe is under way." : sentence(hops, rtts, checks, sent);
    return new ProbeAnswer(
        row.id().toString(),
        running ? State.RUNNING : State.DONE,
        summary,
        !rtts.isEmpty(),
        from,
        row.destination(),
        sent,
        rtts.size(),
        rtts,
        hops,
        checks,
        notes,
        row.createdAt());
  }

  private String sentence(List<Hop> hops, List<Double> rtts, List<Check> checks, int sent) {
    if (row.refusal() != null) {
      return "Not sent: " + row.refusal() + ".";
    }
    if (inject == null) {
      return "Not sent: the probe has no command.";
    }
    if (inject.state() == CommandState.FAILED) {
      return notStarted(inject.error());
    }
    if (source == null) {
      return "No answer: "
          + agentOf(row.sourceHost(), "the source VM's host")
          + " did not take"
          + " the probe within its time"
          + lastSeen(row.sourceHost())
          + "; the agent is gone, paused or cut off from the fabric"
          + behind(row.sourceHost())
          + ".";
    }
    if (!rtts.isEmpty()) {
      double max = rtts.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      return "Reply received: %s answered %d of %d, round trip %s ms%s."
          .formatted(
              row.destination(),
              rtts.size(),
              sent,
              String.format(Locale.ROOT, "%.2f", rtts.getFirst()),
              rtts.size() > 1 ? String.format(Locale.ROOT, " (max %.2f ms)", max) : "");
    }
    for (Check c : checks) {
      if (c.name().startsWith("DESTINATION_") && !c.ok()) {
        String asked = c.name().endsWith("_ND") ? "neighbour solicitation" : "ARP";
        return "Dropped on %s: the VM's %s for %s is not answered there: its table has no lookup"
                .formatted(label(row.sourceHost(), "the source host"), asked, row.destination())
            + " record for "
            + row.destination()
            + why()
            + behind(row.sourceHost())
            + ".";
      }
    }
    for (Hop h : hops) {
      if (h.dropped()) {
        HostId where =
            h.host().equals(label(row.destinationHost(), "destination host"))
                    && row.destinationHost() != null
                ? row.destinationHost()
                : row.sourceHost();
        return "Dropped on "
            + h.host()
            + " ("
            + h.direction().toLowerCase(Locale.ROOT)
            + "): "
            + h.detail()
            + (h.detail().startsWith("NO_ROUTE") ? why() : "")
            + behind(where)
            + ".";
      }
    }
    boolean delivered =
        hops.stream().anyMatch(h -> h.direction().equals("REQUEST") && h.stage().equals("DELIVER"));
    String portProblem = portProblem();
    if (delivered && portProblem != null) {
      return "No reply: the request reached "
          + row.destination()
          + "'s vNIC on "
          + label(row.destinationHost(), "the destination host")
          + ", but "
          + portProblem
          + ".";
    }
    if (delivered) {
      return "No reply: the request was delivered to "
          + row.destination()
          + " but the VM did not"
          + " answer within "
          + row.timeoutMs()
          + " ms (is it up, and does it answer ping?).";
    }
    boolean left =
        hops.stream()
            .anyMatch(h -> h.direction().equals("REQUEST") && h.stage().equals("ENCAPSULATE"));
    if (left && row.destinationHost() != null && destination == null) {
      boolean taken = watch != null && watch.deliveredAt() != null;
      return "No reply: the request left "
          + label(row.sourceHost(), "the source host")
          + " for "
          + label(row.destinationHost(), "the destination's host")
          + ", "
          + (taken
              ? "which never reported what it saw"
              : "whose agent did not take the probe's watch"
                  + lastSeen(row.destinationHost())
                  + ": it is gone or paused")
          + ".";
    }
    if (left) {
      return "No reply: the request left "
          + label(row.sourceHost(), "the source host")
          + " but nothing came back within "
          + row.timeoutMs()
          + " ms.";
    }
    return "No reply within " + row.timeoutMs() + " ms.";
  }

  /** What an agent found wrong with the port it delivered the request to, or null. */
  private String portProblem() {
    for (JsonNode r : new JsonNode[] {destination, source}) {
      if (r != null && r.path("portProblems").size() > 0) {
        return r.path("portProblems").get(0).path("problem").asString();
      }
    }
    return null;
  }

  private String notStarted(String error) {
    String host = label(row.sourceHost(), "the source VM's host");
    if (error != null && error.startsWith("NO_PORT")) {
      return "Not sent: " + host + " has no port for the vNIC yet" + behind(row.sourceHost()) + ".";
    }
    if (error != null && error.startsWith("NO_ADDRESS")) {
      return "Not sent: the vNIC has no IPv4 address yet (no static address, no DHCP lease).";
    }
    return "Not sent: " + host + " could not start the probe: " + scrub(error) + ".";
  }

  /** "; 10.0.9.10 belongs to VM x in VM network y, …" when the model tells why. */
  private String why() {
    return facts
        .vnic(row.sourceVnic())
        .flatMap(v -> MissingDestination.explain(facts, v, IpAddress.parse(row.destination())))
        .map(reason -> ": " + reason)
        .orElse("");
  }

  /** An agent that ignored the asked size (older than sizes) sent default-sized echoes. */
  private Optional<String> olderAgent() {
    if (inject == null || source == null || source.has("size")) {
      return Optional.empty();
    }
    int asked = TableJson.mapper().readTree(inject.payload()).path("size").asInt(0);
    if (asked == 0 || asked == ProbeService.DEFAULT_SIZE) {
      return Optional.empty();
    }
    return Optional.of(
        "the source host's agent predates probe sizes: it sent "
            + ProbeService.DEFAULT_SIZE
            + "-byte echoes, not "
            + asked
            + "-byte ones");
  }

  /** A live migration of the destination VM, if one is under way: its traffic may move. */
  private List<String> migrations() {
    List<String> out = new ArrayList<>();
    FabricFacts.VnicFacts src = facts.vnic(row.sourceVnic()).orElse(null);
    if (src == null) {
      return out;
    }
    for (FabricFacts.VnicFacts v : facts.tenantVnics(src.tenant())) {
      if (!v.network().equals(src.network())
          || !row.destination().equals(String.valueOf(v.address()))) {
        continue;
      }
      for (FabricFacts.MigrationFacts m : facts.migrationsInFlight(v.vmId())) {
        out.add(
            "VM "
                + v.vmName()
                + " is being live-migrated"
                + (operator ? " from " + m.fromHost() + " to " + m.toHost() : "")
                + " ("
                + m.phase()
                + "); its traffic follows the lookup records as each host applies them");
      }
    }
    return out;
  }

  /** "; host-3 is 2 table generations behind the fabric" when it is. */
  private String behind(HostId host) {
    if (host == null) {
      return "";
    }
    return facts
        .host(host)
        .filter(h -> h.appliedGeneration() < h.intendedGeneration())
        .map(h ->
            operator
                ? "; "
                    + h.name()
                    + " is "
                    + (h.intendedGeneration() - Math.max(0, h.appliedGeneration()))
                    + " table generations behind the fabric"
                : "; that host has not applied your latest change yet")
        .orElse("");
  }

  private String lastSeen(HostId host) {
    if (host == null) {
      return "";
    }
    return facts
        .host(host)
        .map(HostFacts::lastSeenAt)
        .map(at ->
            " (last heard from " + Duration.between(at, Instant.now()).toSeconds() + " s ago)")
        .orElse("");
  }

  private String agentOf(HostId host, String tenantWords) {
    return operator ? "the agent of " + label(host, "?") : "the agent of " + tenantWords;
  }

  private String label(HostId host, String tenantWords) {
    if (!operator || host == null) {
      return tenantWords;
    }
    return facts.host(host).map(HostFacts::name).orElse(host.toString());
  }

  private void addHops(List<Hop> hops, JsonNode result, HostId host, String tenantWords) {
    if (result == null) {
      return;
    }
    String name = label(host, tenantWords);
    for (JsonNode o : result.path("observations")) {
      String stage = o.path("stage").asString();
      hops.add(
          new Hop(
              name,
              Instant.parse(o.path("at").asString()),
              o.path("direction").asString(),
              stage,
              scrub(o.path("detail").asString()),
              stage.equals("DROP")));
    }
  }

  /** RTT per reply delivered to the source vNIC: both ends read on the source host's clock. */
  private List<Double> rtts() {
    List<Double> out = new ArrayList<>();
    if (source == null) {
      return out;
    }
    Map<Integer, Long> sentAt = new HashMap<>();
    for (JsonNode o : source.path("observations")) {
      int seq = o.path("sequence").asInt();
      long nanos = o.path("nanos").asLong();
      if (o.path("direction").asString().equals("REQUEST")) {
        sentAt.putIfAbsent(seq, nanos);
      } else if (o.path("stage").asString().equals("DELIVER") && sentAt.containsKey(seq)) {
        out.add((nanos - sentAt.remove(seq)) / 1_000_000.0);
      }
    }
    return out;
  }

  private List<Check> checks() {
    List<Check> out = new ArrayList<>();
    if (source != null) {
      for (JsonNode c : source.path("checks")) {
        out.add(
            new Check(
                c.path("name").asString(),
                c.path("ok").asBoolean(),
                scrub(c.path("detail").asString())));
      }
    }
    return out;
  }

  private String scrub(String text) {
    return operator || text == null ? text : PA.matcher(text).replaceAll("its host");
  }

  private static JsonNode result(AgentCommand command) {
    if (command == null || command.state() != CommandState.SUCCEEDED || command.result() == null) {
      return null;
    }
    return TableJson.mapper().readTree(command.result());
  }
}
