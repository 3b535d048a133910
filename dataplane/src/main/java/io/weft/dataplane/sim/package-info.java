/**
 * Simulated hosts and VMs on the memory backend: {@link io.weft.dataplane.sim.SimulatedCloud} wires
 * N hosts (switch + agent, optionally a table client to the fabric) on one in-JVM underlay, and
 * {@link io.weft.dataplane.sim.SimulatedVm} is a small IPv4 endpoint that answers ARP and ping,
 * runs a DHCP client and pings targets. The portal's default run is built from these.
 */
package io.weft.dataplane.sim;
