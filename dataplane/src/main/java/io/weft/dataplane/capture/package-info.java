/**
 * Packet capture for vNIC ports and the underlay into pcap files that Wireshark and tshark open;
 * attached to a switch as a {@link io.weft.dataplane.pipeline.FrameTap}.
 */
package io.weft.dataplane.capture;
