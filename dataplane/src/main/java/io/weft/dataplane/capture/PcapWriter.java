package io.weft.dataplane.capture;

import io.weft.dataplane.pipeline.FrameTap;
import io.weft.dataplane.pipeline.MonotonicWallClock;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes frames to a classic pcap file (microsecond timestamps) that Wireshark and tshark open:
 * {@link #ETHERNET} for vNIC ports, {@link #RAW_IP} for the underlay (outer IPv4 packets, which
 * tshark decodes down through GRE/VXLAN to the inner frame). Timestamps come from a {@link
 * MonotonicWallClock}, so they never step backwards within a file.
 */
public final class PcapWriter implements FrameTap, AutoCloseable {

  public static final int ETHERNET = 1;
  public static final int RAW_IP = 101;

  /** The global header's length; each record adds {@link #RECORD_HEADER} plus the frame. */
  public static final int FILE_HEADER = 24;

  public static final int RECORD_HEADER = 16;

  private final OutputStream out;
  private final MonotonicWallClock clock;
  private final ByteBuffer header =
      ByteBuffer.allocate(RECORD_HEADER).order(ByteOrder.LITTLE_ENDIAN);

  public PcapWriter(Path file, int linkType) throws IOException {
    this(
        new BufferedOutputStream(Files.newOutputStream(file)),
        linkType,
        MonotonicWallClock.system());
  }

  public PcapWriter(OutputStream out, int linkType, MonotonicWallClock clock) throws IOException {
    this.out = out;
    this.clock = clock;
    out.write(fileHeader(linkType));
  }

  /** The 24-byte pcap global header (little-endian, version 2.4, snap length 65535). */
  public static byte[] fileHeader(int linkType) {
    ByteBuffer h = ByteBuffer.allocate(FILE_HEADER).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    h.putInt(65_535).putInt(linkType);
    return h.array();
  }

  @Override
  public synchronized void frame(byte[] buffer, int offset, int length) {
    long micros = clock.epochMicros();
    header.clear();
    header.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000));
    header.putInt(length).putInt(length);
    try {
      out.write(header.array());
      out.write(buffer, offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
