package io.weft.dataplane.capture;

import io.weft.dataplane.pipeline.FrameTap;
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
 * tshark decodes down through GRE/VXLAN to the inner frame).
 */
public final class PcapWriter implements FrameTap, AutoCloseable {

  public static final int ETHERNET = 1;
  public static final int RAW_IP = 101;

  private final OutputStream out;
  private final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);

  public PcapWriter(Path file, int linkType) throws IOException {
    out = new BufferedOutputStream(Files.newOutputStream(file));
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    h.putInt(65_535).putInt(linkType);
    out.write(h.array());
  }

  @Override
  public synchronized void frame(byte[] buffer, int offset, int length) {
    long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
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
