/**
 * Flyweight codecs for the packet path: static accessors with named offsets over {@code byte[]}
 * (Ethernet and 802.1Q, ARP, IPv4, IPv6, ICMPv4, ICMPv6 neighbour discovery, UDP, DHCPv4, NVGRE,
 * VXLAN), checksums, a flow hash, and {@link io.weft.dataplane.codec.FrameParser} which fills a
 * reusable {@link io.weft.dataplane.codec.ParsedFrame}. Nothing here allocates per packet, and no
 * input, however malformed, makes the parser throw.
 */
package io.weft.dataplane.codec;
