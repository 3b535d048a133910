/**
 * Connectivity diagnostics that need no login into a tenant VM: trace a packet over the fabric's
 * intended tables with the data plane's own pipeline code, inject live probes through agents, and
 * compare intended with applied tables.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Diagnostics")
package io.weft.diagnostics;
