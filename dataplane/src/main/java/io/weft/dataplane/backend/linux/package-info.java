/**
 * The Linux backend, all through the FFM API ({@code java.lang.foreign}; no JNI, no helper binary):
 * each vNIC is a persistent TAP device ({@link io.weft.dataplane.backend.linux.TapLocator} says
 * which), NVGRE travels on a raw IP-protocol-47 socket bound to the PA and VXLAN on a UDP socket
 * bound to PA:4789, both with {@code recvmmsg}/{@code sendmmsg}. {@link
 * io.weft.dataplane.backend.linux.LinuxHost} runs one host. Needs CAP_NET_ADMIN (taps) and
 * CAP_NET_RAW (the GRE socket), and {@code /dev/net/tun}.
 */
package io.weft.dataplane.backend.linux;
