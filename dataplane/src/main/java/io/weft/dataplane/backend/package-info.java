/**
 * The backend contract: {@link io.weft.dataplane.backend.HostBackend} is what an agent drives (its
 * ports, underlay and captures). {@code backend.memory} keeps everything in one JVM; {@code
 * backend.linux} uses TAP devices and raw NVGRE / UDP VXLAN sockets through the FFM API.
 */
package io.weft.dataplane.backend;
