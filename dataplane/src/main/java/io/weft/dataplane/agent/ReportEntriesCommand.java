package io.weft.dataplane.agent;

import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.TableJson;
import io.weft.dataplane.table.VmNetworkTable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code REPORT_ENTRIES} command (TABLE-FORMAT.md, "Applied entries"): the entries this agent
 * forwards with, for the VM networks asked for (all when none are named), so the fabric can trace
 * over what a host has really applied where its per-network digest differs from the intended one.
 */
public final class ReportEntriesCommand implements CommandDispatcher.Handler {

  public static final String KIND = "REPORT_ENTRIES";

  private final HostAgent agent;

  public ReportEntriesCommand(HostAgent agent) {
    this.agent = agent;
  }

  public static void register(CommandDispatcher commands, HostAgent agent) {
    commands.register(KIND, new ReportEntriesCommand(agent));
  }

  @Override
  public CommandReply handle(FabricCommand command) {
    Set<String> wanted = new HashSet<>();
    JsonNode networks = command.payload().path("networks");
    if (networks.isArray()) {
      networks.forEach(n -> wanted.add(n.asString()));
    }
    HostTable table = agent.table();
    List<VmNetworkTable> kept =
        table.networks().stream()
            .filter(n -> wanted.isEmpty() || wanted.contains(n.routingDomainId().toString()))
            .toList();
    HostTable part =
        new HostTable(
            table.hostId(),
            table.generation(),
            table.encapsulation(),
            table.localPa(),
            table.overlayMtu(),
            kept);
    ObjectNode result = TableJson.mapper().createObjectNode();
    result.put("generation", table.generation());
    result.put("digest", agent.digest());
    result.set("table", TableJson.mapper().valueToTree(part));
    return CommandReply.succeeded(result);
  }
}
