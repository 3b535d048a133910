/**
 * Live probes: start one through the agents' command path (inject at the source host, watch on the
 * destination host), and answer from the agents' results, on any replica.
 */
package io.weft.diagnostics.probe;
