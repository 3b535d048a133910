package io.weft.portal.ui.operator;

import io.weft.dataplane.agent.AgentStatus;
import io.weft.dataplane.table.TableJson;
import io.weft.fabric.tables.AgentReport;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/**
 * The host detail's sentence about the host's underlay interface, from the agent's last report:
 * whether the interface carries the PA the table names (the agent forwards on it) or not (it does
 * not, and says what the interface has).
 *
 * @param text the sentence
 * @param problem true when the agent does not forward on the PA, or its report cannot be read
 */
record UnderlayLine(String text, boolean problem) {

  static UnderlayLine of(Optional<AgentReport> report) {
    if (report.isEmpty()) {
      return new UnderlayLine("Underlay: no report from the agent yet.", false);
    }
    String json = report.get().underlayJson();
    if (json == null) {
      return new UnderlayLine(
          "Underlay: not checked (the agent runs without --underlay-interface).", false);
    }
    AgentStatus.Underlay u;
    try {
      u = TableJson.mapper().readValue(json, AgentStatus.Underlay.class);
    } catch (JacksonException e) {
      return new UnderlayLine(
          "Underlay: the agent's report cannot be read (" + e.getOriginalMessage() + ").", true);
    }
    String addresses =
        u.addresses() == null || u.addresses().isEmpty()
            ? "no addresses"
            : String.join(", ", u.addresses());
    if (u.paConfigured()) {
      return new UnderlayLine(
          "Underlay: "
              + u.interfaceName()
              + " carries the PA "
              + u.expectedPa()
              + " ("
              + addresses
              + ").",
          false);
    }
    return new UnderlayLine(
        "Underlay: not forwarding on "
            + u.interfaceName()
            + ": "
            + (u.problem() != null
                ? u.problem()
                : "the PA " + u.expectedPa() + " is not there (it has " + addresses + ")")
            + ".",
        true);
  }
}
