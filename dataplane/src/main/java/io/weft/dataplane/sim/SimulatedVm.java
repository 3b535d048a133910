package io.weft.dataplane.sim;

import io.weft.dataplane.backend.memory.MemoryHost;
import io.weft.dataplane.backend.memory.PortEndpoint;
import io.weft.dataplane.codec.Arp;
import io.weft.dataplane.codec.Dhcpv4;
import io.weft.dataplane.codec.Ethernet;
import io.weft.dataplane.codec.FrameParser;
import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.codec.Icmpv4;
import io.weft.dataplane.codec.Icmpv6;
import io.weft.dataplane.codec.Ipv6;
import io.weft.dataplane.codec.ParsedFrame;
import io.weft.dataplane.codec.Udp;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.IpPrefix;
import io.weft.dataplane.table.MacAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A tiny IPv4 host on a memory port: answers ARP and ping, runs a DHCP client (discover, request,
 * renew) and pings targets, resolving its next hop with ARP like a real stack. Given a static IPv6
 * address instead, it answers ping6 (ICMPv6 echo) to it, replying to the request's source MAC as a
 * real stack does once neighbour discovery (answered by its host) has run. All its state lives on
 * the loop thread; the public methods may be called from any thread.
 */
public final class SimulatedVm implements PortEndpoint {

  private static final Duration RETRY = Duration.ofMillis(300);

  private final MemoryHost host;
  private final String portId;
  private final long mac;
  private final ScheduledExecutorService loop;
  private final ParsedFrame f = new ParsedFrame();
  private final Map<Integer, Long> arpCache = new HashMap<>();
  private final Map<Integer, CompletableFuture<Long>> arpWaiting = new HashMap<>();
  private final Map<Integer, Pending> pings = new HashMap<>();
  private volatile int address;
  private volatile IpAddress address6;
  private volatile int prefixLength;
  private volatile int gateway;
  private volatile int leaseSeconds;
  private int xid = (int) System.nanoTime();
  private int nextSequence;
  private CompletableFuture<IpAddress> dhcpDone;
  private int dhcpServer;
  private int dhcpAttempts;

  private record Pending(CompletableFuture<PingResult> result, long sentAt) {}

  public SimulatedVm(
      MemoryHost host, String portId, MacAddress mac, ScheduledExecutorService loop) {
    this.host = host;
    this.portId = portId;
    this.mac = mac.value();
    this.loop = loop;
    host.attach(portId, this);
  }

  public String portId() {
    return portId;
  }

  /** The VM's address (IPv4, else its static IPv6 one), or null before DHCP has bound one. */
  public IpAddress address() {
    return address == 0 ? address6 : IpAddress.v4(address);
  }

  public int leaseSeconds() {
    return leaseSeconds;
  }

  /** Configures a static address, mask and gateway (no DHCP); IPv6 answers ping6 only. */
  public void configureStatic(IpAddress ip, IpPrefix subnet, IpAddress gw) {
    if (ip.v6()) {
      address6 = ip;
      return;
    }
    loop.execute(() -> {
      address = ip.v4Bits();
      prefixLength = subnet.length();
      gateway = gw.v4Bits();
    });
  }

  /** Runs DISCOVER → OFFER → REQUEST → ACK, retrying; completes with the bound address. */
  public CompletableFuture<IpAddress> startDhcp(Duration timeout) {
    CompletableFuture<IpAddress> done = new CompletableFuture<>();
    loop.execute(() -> {
      dhcpDone = done;
      dhcpAttempts = 0;
      sendDiscover();
    });
    return done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Renews the current lease (REQUEST with ciaddr); completes with the address acknowledged. */
  public CompletableFuture<IpAddress> renew(Duration timeout) {
    CompletableFuture<IpAddress> done = new CompletableFuture<>();
    loop.execute(() -> {
      dhcpDone = done;
      sendRequest(address, address);
    });
    return done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends one echo request to {@code target}; completes with the reply's RTT or the failure. */
  public CompletableFuture<PingResult> ping(IpAddress target, Duration timeout) {
    CompletableFuture<PingResult> result = new CompletableFuture<>();
    loop.execute(() -> startPing(target.v4Bits(), result, timeout));
    return result;
  }

  private void startPing(int target, CompletableFuture<PingResult> result, Duration timeout) {
    if (address == 0) {
      result.complete(PingResult.failed("no address"));
      return;
    }
    int seq = nextSequence++ & 0xFFFF;
    int hop = nextHop(target);
    loop.schedule(
        () -> {
          arpWaiting.remove(hop); // unanswered ARP: ask again next time
          if (pings.remove(seq) != null || !result.isDone()) {
            result.complete(PingResult.failed("timeout after " + timeout.toMillis() + " ms"));
          }
        },
        timeout.toMillis(),
        TimeUnit.MILLISECONDS);
    resolve(hop)
        .thenAcceptAsync(
            dstMac -> {
              if (result.isDone()) {
                return;
              }
              pings.put(seq, new Pending(result, System.nanoTime()));
              byte[] b = new byte[128];
              int len =
                  FrameWriter.icmpEchoV4(
                      b, 0, dstMac, mac, address, target, Icmpv4.ECHO_REQUEST, 0x5745, seq, 56);
              host.send(portId, trim(b, len));
            },
            loop);
  }

  private int nextHop(int target) {
    int mask = prefixLength == 0 ? 0 : (int) (0xFFFFFFFFL << (32 - prefixLength));
    return (target & mask) == (address & mask) ? target : gateway;
  }

  private CompletableFuture<Long> resolve(int ip) {
    Long known = arpCache.get(ip);
    if (known != null) {
      return CompletableFuture.completedFuture(known);
    }
    CompletableFuture<Long> waiting = arpWaiting.get(ip);
    if (waiting == null) {
      waiting = new CompletableFuture<>();
      arpWaiting.put(ip, waiting);
      byte[] b = new byte[64];
      int len = FrameWriter.arp(b, 0, Ethernet.BROADCAST, Arp.OP_REQUEST, mac, address, 0, ip);
      host.send(portId, trim(b, len));
    }
    return waiting;
  }

  @Override
  public void receive(byte[] frame) {
    if (FrameParser.parse(frame, 0, frame.length, f) != FrameParser.OK) {
      return;
    }
    if (f.isArp()) {
      onArp(frame);
    } else if (f.isIcmpv4()) {
      onIcmp(frame);
    } else if (f.isIcmpv6()) {
      onIcmpv6(frame);
    } else if (f.isUdp() && f.dstPort == Udp.PORT_DHCP_CLIENT) {
      onDhcp(frame);
    }
  }

  private void onArp(byte[] b) {
    int a = f.l3Offset;
    int sender = Arp.senderIp(b, a);
    long senderMac = Arp.senderMac(b, a);
    if (Arp.op(b, a) == Arp.OP_REPLY) {
      arpCache.put(sender, senderMac);
      CompletableFuture<Long> w = arpWaiting.remove(sender);
      if (w != null) {
        w.complete(senderMac);
      }
    } else if (Arp.targetIp(b, a) == address && address != 0) {
      byte[] out = new byte[64];
      int len = FrameWriter.arp(out, 0, senderMac, Arp.OP_REPLY, mac, address, senderMac, sender);
      host.send(portId, trim(out, len));
    }
  }

  private void onIcmp(byte[] b) {
    int type = f.icmpType();
    if (type == Icmpv4.ECHO_REPLY && f.dstV4() == address) {
      Pending p = pings.remove(Icmpv4.echoSequence(b, f.l4Offset));
      if (p != null) {
        p.result.complete(PingResult.ok(System.nanoTime() - p.sentAt));
      }
    } else if (type == Icmpv4.ECHO_REQUEST && f.dstV4() == address) {
      byte[] out = new byte[f.l3Offset + f.ipLength + 64];
      int len =
          FrameWriter.icmpEchoV4(
              out,
              0,
              f.srcMac,
              mac,
              address,
              f.srcV4(),
              Icmpv4.ECHO_REPLY,
              Icmpv4.echoId(b, f.l4Offset),
              Icmpv4.echoSequence(b, f.l4Offset),
              f.l4Length - Icmpv4.MIN_LENGTH);
      // Like a real stack, the reply carries the request's data (a live probe's tag is in it).
      int data = len - (f.l4Length - Icmpv4.MIN_LENGTH);
      System.arraycopy(
          b, f.l4Offset + Icmpv4.MIN_LENGTH, out, data, f.l4Length - Icmpv4.MIN_LENGTH);
      Icmpv4.writeChecksum(out, data - Icmpv4.MIN_LENGTH, f.l4Length);
      byte[] reply = trim(out, len);
      host.send(portId, reply);
    }
  }

  private void onIcmpv6(byte[] b) {
    IpAddress me = address6;
    if (me == null
        || f.icmpType() != Icmpv6.ECHO_REQUEST
        || f.l4Offset != f.l3Offset + Ipv6.HEADER
        || f.dstHi != me.hi()
        || f.dstLo != me.lo()) {
      return;
    }
    // The reply is the request with addresses swapped and its data kept (a probe's tag is in it).
    int frameLen = f.l3Offset + f.ipLength;
    byte[] out = new byte[frameLen];
    System.arraycopy(b, 0, out, 0, frameLen);
    int ip = f.l3Offset;
    int icmp = f.l4Offset;
    Ethernet.writeHeader(out, 0, f.srcMac, mac, Ethernet.TYPE_IPV6);
    Ipv6.writeHeader(out, ip, f.l4Length, Ipv6.NEXT_ICMPV6, 64, me.hi(), me.lo(), f.srcHi, f.srcLo);
    out[icmp] = (byte) Icmpv6.ECHO_REPLY;
    Icmpv6.writeChecksum(out, ip, icmp, f.l4Length);
    host.send(portId, out);
  }

  private void sendDiscover() {
    if (dhcpDone == null || dhcpDone.isDone()) {
      return;
    }
    xid++;
    byte[] b = new byte[600];
    int o = FrameWriter.UDP_V4_PAYLOAD;
    int p = Dhcpv4.writeFixed(b, o, Dhcpv4.OP_REQUEST, xid, 0, 0, 0, 0, mac);
    p = Dhcpv4.putByteOption(b, p, Dhcpv4.OPT_MESSAGE_TYPE, Dhcpv4.DISCOVER);
    p = Dhcpv4.putEnd(b, p);
    int len = FrameWriter.udpV4(b, 0, Ethernet.BROADCAST, mac, 0, -1, 68, 67, p - o);
    host.send(portId, trim(b, len));
    int attempt = ++dhcpAttempts;
    loop.schedule(
        () -> {
          if (dhcpAttempts == attempt) {
            sendDiscover();
          }
        },
        RETRY.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void sendRequest(int requested, int ciaddr) {
    byte[] b = new byte[600];
    int o = FrameWriter.UDP_V4_PAYLOAD;
    int p = Dhcpv4.writeFixed(b, o, Dhcpv4.OP_REQUEST, xid, 0, ciaddr, 0, 0, mac);
    p = Dhcpv4.putByteOption(b, p, Dhcpv4.OPT_MESSAGE_TYPE, Dhcpv4.REQUEST);
    if (ciaddr == 0) {
      p = Dhcpv4.putIntOption(b, p, Dhcpv4.OPT_REQUESTED_IP, requested);
      p = Dhcpv4.putIntOption(b, p, Dhcpv4.OPT_SERVER_ID, dhcpServer);
    }
    p = Dhcpv4.putEnd(b, p);
    int len = FrameWriter.udpV4(b, 0, Ethernet.BROADCAST, mac, ciaddr, -1, 68, 67, p - o);
    host.send(portId, trim(b, len));
  }

  private void onDhcp(byte[] b) {
    int d = f.l4Offset + Udp.HEADER;
    int dl = f.l4Length - Udp.HEADER;
    if (!Dhcpv4.valid(b, d, dl) || Dhcpv4.xid(b, d) != xid || Dhcpv4.chaddr(b, d) != mac) {
      return;
    }
    int type = Dhcpv4.messageType(b, d, dl);
    if (type == Dhcpv4.OFFER && address == 0) {
      dhcpServer = Dhcpv4.addressOption(b, d, dl, Dhcpv4.OPT_SERVER_ID, 0);
      dhcpAttempts++; // stop the discover retry; the request is answered at once or NAKed
      sendRequest(Dhcpv4.yiaddr(b, d), 0);
    } else if (type == Dhcpv4.ACK && Dhcpv4.yiaddr(b, d) != 0) {
      int mask = Dhcpv4.addressOption(b, d, dl, Dhcpv4.OPT_SUBNET_MASK, 0);
      gateway = Dhcpv4.addressOption(b, d, dl, Dhcpv4.OPT_ROUTER, 0);
      prefixLength = Integer.bitCount(mask);
      leaseSeconds = Dhcpv4.addressOption(b, d, dl, Dhcpv4.OPT_LEASE_TIME, 0);
      address = Dhcpv4.yiaddr(b, d);
      if (dhcpDone != null) {
        dhcpDone.complete(IpAddress.v4(address));
      }
    } else if (type == Dhcpv4.NAK) {
      address = 0;
      if (dhcpDone != null && !dhcpDone.isDone()) {
        dhcpAttempts = 0;
        sendDiscover();
      }
    }
  }

  private static byte[] trim(byte[] b, int len) {
    byte[] out = new byte[len];
    System.arraycopy(b, 0, out, 0, len);
    return out;
  }
}
