package io.weft.dataplane.backend.linux;

import io.weft.dataplane.capture.BoundedCapture;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.PcapAddress;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.Pcaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded capture taken by the kernel through libpcap (pcap4j): a packet socket on one interface
 * (a vNIC's tap in its VM's namespace, or the interface carrying the host's PA), the capture's
 * filter compiled to BPF and attached to that socket, so the kernel hands over only the packets
 * asked for. A thread of its own reads them into the {@link BoundedCapture}, which keeps the bounds
 * and writes the same pcap file as a capture at the switch; the switch's loop is not touched. For
 * the underlay the Ethernet header is cut off, so the file holds raw IPv4 packets like the switch's
 * underlay capture (link type 101), which tshark decodes down to {@code gre.key}.
 */
final class LibpcapCapture implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LibpcapCapture.class);
  private static final int SNAPLEN = 65_535;
  private static final int READ_TIMEOUT_MS = 50;
  private static final AtomicLong SERIAL = new AtomicLong();
  private static volatile String unavailable;
  private static volatile boolean probed;

  private final PcapHandle handle;
  private final BoundedCapture sink;
  private final boolean underlay;
  private final String where;
  private final Thread reader;
  private volatile boolean running = true;

  private LibpcapCapture(PcapHandle handle, BoundedCapture sink, boolean underlay, String where) {
    this.handle = handle;
    this.sink = sink;
    this.underlay = underlay;
    this.where = where;
    this.reader =
        Thread.ofPlatform()
            .daemon()
            .name("weft-capture-" + SERIAL.incrementAndGet())
            .start(this::read);
  }

  /**
   * Why libpcap cannot be used here (not installed, or pcap4j/JNA missing), or null when it can.
   * Checked once: loading the library is what costs.
   */
  static String unavailableReason() {
    if (!probed) {
      synchronized (LibpcapCapture.class) {
        if (!probed) {
          try {
            Pcaps.libVersion();
          } catch (LinkageError | RuntimeException e) {
            unavailable = "libpcap is not usable (" + e + "); install libpcap0.8";
          }
          probed = true;
        }
      }
    }
    return unavailable;
  }

  /**
   * Opens {@code ifName} in namespace {@code netns} (null: the agent's own), attaches {@code bpf}
   * and starts reading into {@code sink}.
   */
  static LibpcapCapture start(
      String ifName, String netns, String bpf, boolean underlay, BoundedCapture sink)
      throws IOException {
    // The packet socket belongs to the namespace of the thread that creates it.
    PcapHandle handle =
        Netns.run(
            netns,
            () -> {
              PcapHandle h =
                  new PcapHandle.Builder(ifName)
                      .snaplen(SNAPLEN)
                      .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                      .timeoutMillis(READ_TIMEOUT_MS)
                      .immediateMode(true)
                      .build();
              try {
                if (!bpf.isEmpty()) {
                  h.setFilter(bpf, BpfCompileMode.OPTIMIZE);
                }
              } catch (Exception e) {
                h.close();
                throw new IOException("BPF filter '" + bpf + "': " + e.getMessage(), e);
              }
              return h;
            });
    String where = "libpcap on " + ifName + (bpf.isEmpty() ? "" : ", BPF '" + bpf + "'");
    LOG.info("capture started: {}", where);
    return new LibpcapCapture(handle, sink, underlay, where);
  }

  /**
   * The interface that carries {@code pa} in namespace {@code netns}: where the host's underlay
   * traffic is seen on the wire.
   */
  static String interfaceWith(InetAddress pa, String netns) throws IOException {
    return Netns.run(
        netns,
        () -> {
          for (PcapNetworkInterface nif : Pcaps.findAllDevs()) {
            for (PcapAddress a : nif.getAddresses()) {
              if (a.getAddress() instanceof Inet4Address v4 && v4.equals(pa)) {
                return nif.getName();
              }
            }
          }
          throw new IOException("no interface carries the PA " + pa.getHostAddress());
        });
  }

  /** Where and how this capture is taken, in words. */
  String where() {
    return where;
  }

  private void read() {
    try {
      while (running && sink.stoppedBy() == null) {
        byte[] packet = handle.getNextRawPacket(); // null when the read timed out
        if (packet == null) {
          continue;
        }
        if (!underlay) {
          sink.frame(packet, 0, packet.length);
          continue;
        }
        int ip = ipOffset(packet);
        if (ip > 0) {
          sink.frame(packet, ip, packet.length - ip);
        }
      }
    } catch (Exception e) {
      if (running) {
        LOG.warn("capture ({}) stopped reading: {}", where, e.toString());
      }
    }
  }

  /** Where the IPv4 packet starts behind the Ethernet header (and one VLAN tag), or -1. */
  private static int ipOffset(byte[] frame) {
    if (frame.length < 34) {
      return -1;
    }
    int type = (frame[12] & 0xFF) << 8 | frame[13] & 0xFF;
    if (type == 0x8100 && frame.length >= 38) {
      type = (frame[16] & 0xFF) << 8 | frame[17] & 0xFF;
      return type == 0x0800 ? 18 : -1;
    }
    return type == 0x0800 ? 14 : -1;
  }

  /**
   * Stops reading and closes the socket; once it returns the reader thread is gone, so the capture
   * may be read.
   */
  @Override
  public void close() {
    running = false;
    try {
      reader.join(2_000L + READ_TIMEOUT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (reader.isAlive()) {
      try {
        handle.breakLoop();
      } catch (Exception e) {
        // closing below ends it too
      }
    }
    handle.close();
  }

  /** Whether {@code capture} is the one this reads into. */
  boolean feeds(BoundedCapture capture) {
    return sink == capture;
  }
}
