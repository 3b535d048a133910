package io.weft.diagnostics.reconciliation;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import org.apache.commons.net.ntp.NtpV3Impl;
import org.apache.commons.net.ntp.NtpV3Packet;
import org.apache.commons.net.ntp.TimeStamp;

/**
 * A tiny NTP server built from Commons Net's packet classes that answers a deliberately wrong time:
 * the real clock plus {@code skewMs}. For the warning and alert paths of clock health.
 */
final class SkewedNtpServer implements AutoCloseable {

  private final DatagramSocket socket;
  private final long skewMs;
  private final Thread thread;

  SkewedNtpServer(long skewMs) throws SocketException {
    this.skewMs = skewMs;
    this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    this.thread = Thread.ofVirtual().name("skewed-ntp").start(this::serve);
  }

  String address() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try {
        DatagramPacket in = new DatagramPacket(new byte[48], 48);
        socket.receive(in);
        NtpV3Impl request = new NtpV3Impl();
        request.setDatagramPacket(in);
        NtpV3Impl reply = new NtpV3Impl();
        reply.setMode(NtpV3Packet.MODE_SERVER);
        reply.setVersion(NtpV3Packet.VERSION_3);
        reply.setStratum(2);
        reply.setLeapIndicator(NtpV3Packet.LI_NO_WARNING);
        reply.setOriginateTimeStamp(request.getTransmitTimeStamp());
        long wrong = System.currentTimeMillis() + skewMs;
        reply.setReceiveTimeStamp(TimeStamp.getNtpTime(wrong));
        reply.setReferenceTime(TimeStamp.getNtpTime(wrong));
        reply.setTransmitTime(TimeStamp.getNtpTime(wrong));
        DatagramPacket out = reply.getDatagramPacket();
        out.setSocketAddress(in.getSocketAddress());
        socket.send(out);
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    socket.close();
    thread.interrupt();
  }
}
