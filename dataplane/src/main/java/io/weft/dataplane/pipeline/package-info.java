/**
 * The per-host virtual switch ({@link io.weft.dataplane.pipeline.VirtualSwitch}): port security,
 * local ARP/ND/DHCP answers, L2 lookup and distributed routing within a VM network, NVGRE/VXLAN
 * encapsulation, counters per port and per drop reason. The same code traces packets over any table
 * ({@link io.weft.dataplane.pipeline.PacketTracer}) and takes injected probes; backends plug in
 * through {@link io.weft.dataplane.pipeline.SwitchOutput}, DHCP addresses come from a {@link
 * io.weft.dataplane.pipeline.LeaseAuthority}.
 */
package io.weft.dataplane.pipeline;
