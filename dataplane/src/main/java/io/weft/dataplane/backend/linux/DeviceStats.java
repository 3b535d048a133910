package io.weft.dataplane.backend.linux;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a Linux host's devices did beyond forwarding: errors, and the work tap and underlay offloads
 * saved ({@link LinuxHost#deviceStats()}).
 *
 * @param underlaySendErrors packets the kernel refused to send on the underlay
 * @param tapWriteErrors frames a tap refused
 * @param superFramesRead TCP super-frames read from taps (segmentation offload)
 * @param segmentsCut the segments they were cut into
 * @param superFramesWritten runs of segments written to taps as one super-frame
 * @param segmentsJoined the segments those runs held
 * @param badOffloads frames read whose offload header made no sense (dropped)
 * @param underlaySegmentedSends VXLAN messages the kernel cut into datagrams ({@code UDP_SEGMENT})
 * @param underlayJoinedReceives VXLAN messages received as joined datagrams ({@code UDP_GRO})
 */
public record DeviceStats(
    long underlaySendErrors,
    long tapWriteErrors,
    long superFramesRead,
    long segmentsCut,
    long superFramesWritten,
    long segmentsJoined,
    long badOffloads,
    long underlaySegmentedSends,
    long underlayJoinedReceives) {

  /**
   * These figures by counter name, as {@link
   * io.weft.dataplane.backend.HostBackend#deviceCounters()} reports them.
   */
  public Map<String, Long> counters() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("underlay_send_errors", underlaySendErrors);
    m.put("tap_write_errors", tapWriteErrors);
    m.put("tap_super_frames_read", superFramesRead);
    m.put("tap_segments_cut", segmentsCut);
    m.put("tap_super_frames_written", superFramesWritten);
    m.put("tap_segments_joined", segmentsJoined);
    m.put("tap_bad_offloads", badOffloads);
    return m;
  }
}
