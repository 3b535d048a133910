/**
 * The fabric controller: the model of the cloud (tenants, VM networks and subnets, hosts, VMs and
 * their placement), the table compiler and its distribution to host agents, and the audit log.
 * Callers pass an explicit tenant and are authorized once, at the service façade.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Fabric controller")
package io.weft.fabric;
