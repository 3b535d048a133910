/**
 * The host agent: {@link io.weft.dataplane.agent.HostAgent} holds the table in force and applies
 * snapshots and deltas (refusing inconsistent ones and keeping the old table), {@link
 * io.weft.dataplane.agent.TableClient} long-polls the fabric and reports status, {@link
 * io.weft.dataplane.agent.AgentMain} runs it as a process.
 */
package io.weft.dataplane.agent;
