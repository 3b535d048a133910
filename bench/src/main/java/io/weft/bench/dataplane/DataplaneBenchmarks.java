package io.weft.bench.dataplane;

import io.weft.dataplane.codec.FrameWriter;
import io.weft.dataplane.pipeline.LeaseAuthority;
import io.weft.dataplane.pipeline.SwitchOutput;
import io.weft.dataplane.pipeline.VirtualSwitch;
import io.weft.dataplane.table.AddressingMode;
import io.weft.dataplane.table.Encapsulation;
import io.weft.dataplane.table.HostTable;
import io.weft.dataplane.table.IpAddress;
import io.weft.dataplane.table.IpPrefix;
import io.weft.dataplane.table.LookupRecord;
import io.weft.dataplane.table.MacAddress;
import io.weft.dataplane.table.PortEntry;
import io.weft.dataplane.table.VmNetworkTable;
import io.weft.dataplane.table.VmSubnet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-packet cost of the switch on one core: a VM frame through port security, L2 lookup among
 * {@code records} lookup records and NVGRE/VXLAN encapsulation; and an underlay packet through
 * decapsulation, VSID check and delivery to one of 64 local vNICs. 64-byte inner frames, the
 * destinations rotate over 1,024 flows so lookups do not stay in one cache line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DataplaneBenchmarks {

  private static final int VSID = 5001;
  private static final int LOCAL_PORTS = 64;
  private static final int FLOWS = 1024;
  private static final IpAddress LOCAL_PA = IpAddress.parse("192.168.0.1");

  @Param({"10000"})
  public int records;

  @Param({"NVGRE", "VXLAN"})
  public Encapsulation encapsulation;

  private VirtualSwitch sender;
  private VirtualSwitch receiver;
  private byte[][] vmFrames;
  private byte[][] underlayPackets;
  private int next;

  /** Keeps JMH from eliding the output; summing lengths costs less than a Blackhole call. */
  public long sink;

  private final SwitchOutput output =
      new SwitchOutput() {
        @Override
        public void toPort(String portId, byte[] b, int off, int len) {
          sink += len;
        }

        @Override
        public void toUnderlay(int pa, byte[] b, int off, int len) {
          sink += len + pa;
        }
      };

  @Setup(Level.Trial)
  public void setUp() {
    HostTable table = table();
    sender = new VirtualSwitch(table, output, LeaseAuthority.TABLE_ONLY, System::nanoTime);
    receiver = new VirtualSwitch(table, output, LeaseAuthority.TABLE_ONLY, System::nanoTime);
    vmFrames = new byte[FLOWS][];
    underlayPackets = new byte[FLOWS][];
    List<byte[]> captured = new ArrayList<>();
    SwitchOutput capture =
        new SwitchOutput() {
          @Override
          public void toPort(String portId, byte[] b, int off, int len) {}

          @Override
          public void toUnderlay(int pa, byte[] b, int off, int len) {
            captured.add(Arrays.copyOfRange(b, off, off + len));
          }
        };
    for (int i = 0; i < FLOWS; i++) {
      int src = i % LOCAL_PORTS;
      int dst = LOCAL_PORTS + (i * 7919) % (records - LOCAL_PORTS);
      vmFrames[i] = echo(mac(src), ca(src), mac(dst), ca(dst));
      byte[] toLocal = echo(mac(dst), ca(dst), mac(src), ca(src));
      captured.clear();
      remoteSend(table, dst, toLocal, capture, captured);
      underlayPackets[i] = captured.getFirst();
    }
  }

  private void remoteSend(
      HostTable local, int dst, byte[] frame, SwitchOutput capture, List<byte[]> captured) {
    // The remote VM needs a port on the remote host's table to pass port security.
    VmNetworkTable n = local.networks().getFirst();
    List<PortEntry> ports =
        List.of(
            new PortEntry(
                "remote-vm",
                VSID,
                mac(dst),
                AddressingMode.STATIC,
                List.of(ca(dst)),
                false,
                false,
                0));
    HostTable withPort =
        new HostTable(
            "remote",
            1,
            encapsulation,
            pa(dst),
            1400,
            List.of(
                new VmNetworkTable(n.routingDomainId(), n.subnets(), n.lookupRecords(), ports)));
    new VirtualSwitch(withPort, capture, LeaseAuthority.TABLE_ONLY, () -> 0)
        .fromPort("remote-vm", frame, 0, frame.length);
    if (captured.isEmpty()) {
      throw new IllegalStateException("setup: remote frame was not encapsulated");
    }
  }

  private HostTable table() {
    VmSubnet subnet =
        new VmSubnet(
            VSID,
            IpPrefix.parse("10.0.0.0/16"),
            IpAddress.parse("10.0.0.1"),
            MacAddress.DISTRIBUTED_ROUTER,
            null);
    List<LookupRecord> recs = new ArrayList<>();
    List<PortEntry> ports = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      recs.add(new LookupRecord(VSID, ca(i), mac(i), i < LOCAL_PORTS ? LOCAL_PA : pa(i)));
      if (i < LOCAL_PORTS) {
        ports.add(
            new PortEntry(
                "vnic-" + i, VSID, mac(i), AddressingMode.STATIC, List.of(ca(i)), true, true, 0));
      }
    }
    return new HostTable(
        "bench",
        1,
        encapsulation,
        LOCAL_PA,
        1400,
        List.of(new VmNetworkTable(UUID.randomUUID(), List.of(subnet), recs, ports)));
  }

  private static IpAddress ca(int i) {
    return IpAddress.parse("10.0.0.10").plus(i);
  }

  private static MacAddress mac(int i) {
    return new MacAddress(0x0200_0000_0000L + i + 1);
  }

  private static IpAddress pa(int i) {
    return IpAddress.parse("192.168.1.1").plus(i % 100);
  }

  private static byte[] echo(MacAddress src, IpAddress srcIp, MacAddress dst, IpAddress dstIp) {
    byte[] b = new byte[128];
    int len =
        FrameWriter.icmpEchoV4(
            b, 0, dst.value(), src.value(), srcIp.v4Bits(), dstIp.v4Bits(), 8, 1, 1, 22);
    return Arrays.copyOf(b, len); // 64-byte frame
  }

  @Benchmark
  public long encapsulateAndLookup() {
    int i = next++ & (FLOWS - 1);
    sender.fromPort(PORT_IDS[i % LOCAL_PORTS], vmFrames[i], 0, vmFrames[i].length);
    return sink;
  }

  @Benchmark
  public long decapsulateAndDeliver() {
    int i = next++ & (FLOWS - 1);
    byte[] p = underlayPackets[i];
    receiver.fromUnderlay(p, 0, p.length);
    return sink;
  }

  private static final String[] PORT_IDS = new String[LOCAL_PORTS];

  static {
    for (int i = 0; i < LOCAL_PORTS; i++) {
      PORT_IDS[i] = "vnic-" + i;
    }
  }
}
