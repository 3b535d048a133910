package io.weft.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.weft.diagnostics.DropList;
import io.weft.diagnostics.DropQuery;
import io.weft.diagnostics.DropRecords;
import io.weft.fabric.InvalidRequestException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Diagnostics")
class DropsApiController {

  private final DropRecords drops;
  private final CallerResolver callers;

  DropsApiController(DropRecords drops, CallerResolver callers) {
    this.drops = drops;
    this.callers = callers;
  }

  @GetMapping("/api/v1/diagnostics/drops")
  @Operation(
      summary =
          "Recent drops reported by the hosts' agents, newest first (time, vNIC, 5-tuple, reason,"
              + " the table entry that decided), and how many records were lost on the way. Tenants:"
              + " their own VM networks, without host names or PAs (another tenant's VM network is"
              + " 404, a host filter is 404); operators: any VM network or host")
  DropList drops(
      Authentication auth,
      @RequestParam(required = false) String vmNetwork,
      @RequestParam(required = false) String host,
      @RequestParam(required = false) String limit) {
    return drops.recent(callers.resolve(auth), new DropQuery(vmNetwork, host, number(limit)));
  }

  private static Integer number(String limit) {
    if (limit == null || limit.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(limit.strip());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("limit must be a whole number", "limit");
    }
  }
}
