package io.weft.dataplane.backend.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A TAP device opened on {@code /dev/net/tun} ({@code IFF_TAP | IFF_NO_PI}, and {@code
 * IFF_VNET_HDR} with offloads): the agent holds the file side, the VM (or namespace) has the
 * interface. Made persistent, so the interface and the VM's addresses survive an agent restart;
 * opening an existing persistent tap by name attaches to it (that is how a hypervisor-created tap
 * is attached).
 */
final class TapDevice {

  static final long TUNSETIFF = 0x400454caL;
  static final long TUNSETPERSIST = 0x400454cbL;
  static final long TUNSETOFFLOAD = 0x400454d0L;
  static final long TUNSETVNETHDRSZ = 0x400454d8L;
  static final short IFF_TAP = 0x0002;
  static final short IFF_NO_PI = 0x1000;
  static final short IFF_VNET_HDR = 0x4000;

  /** {@code TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN}. */
  static final long OFFLOADS = 0x01 | 0x02 | 0x04 | 0x08;

  private static final int IFREQ = 40;

  final String name;
  final String netns;
  final int fd;

  /** True when this agent created the interface (rather than attaching to an existing one). */
  final boolean created;

  /**
   * True when every frame read or written carries a {@link VnetHeader} and the VM's stack may hand
   * over TCP super-frames of up to 64 KB and leave checksums partial ({@code TUNSETOFFLOAD}).
   */
  final boolean offloads;

  private TapDevice(String name, String netns, int fd, boolean created, boolean offloads) {
    this.name = name;
    this.netns = netns;
    this.fd = fd;
    this.created = created;
    this.offloads = offloads;
  }

  /**
   * Creates or attaches to the tap {@code name} in namespace {@code netns} (null: ours), with
   * segmentation and checksum offload when {@code offloads} is set.
   */
  static TapDevice open(String name, String netns, boolean offloads) throws IOException {
    return Netns.run(netns, () -> openHere(name, netns, offloads));
  }

  private static TapDevice openHere(String name, String netns, boolean offloads)
      throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      Libc.Errno errno = new Libc.Errno(arena);
      MemorySegment cname = arena.allocateFrom(name);
      boolean existed = Libc.ifNameToIndex(errno, cname) != 0;
      int fd =
          Libc.open(
              errno,
              arena.allocateFrom("/dev/net/tun"),
              Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
      if (fd < 0) {
        throw new IOException("open /dev/net/tun: " + Libc.describe(errno.value()));
      }
      MemorySegment ifr = arena.allocate(IFREQ);
      MemorySegment.copy(cname, 0, ifr, 0, Math.min(cname.byteSize(), 16));
      short flags = (short) (IFF_TAP | IFF_NO_PI | (offloads ? IFF_VNET_HDR : 0));
      ifr.set(ValueLayout.JAVA_SHORT, 16, flags);
      if (Libc.ioctl(errno, fd, TUNSETIFF, ifr) != 0) {
        int err = errno.value();
        Libc.close(errno, fd);
        throw new IOException("TUNSETIFF " + name + ": " + Libc.describe(err));
      }
      // The header size is the device's, not the file's: a tap attached by name may carry another
      // user's setting (12 with mergeable buffers), so it is set, not assumed.
      MemorySegment size = arena.allocate(ValueLayout.JAVA_INT);
      size.set(ValueLayout.JAVA_INT, 0, VnetHeader.SIZE);
      long features = offloads ? OFFLOADS : 0;
      if (offloads && Libc.ioctl(errno, fd, TUNSETVNETHDRSZ, size) != 0
          || Libc.ioctl(errno, fd, TUNSETOFFLOAD, MemorySegment.ofAddress(features)) != 0) {
        int err = errno.value();
        Libc.close(errno, fd);
        throw new IOException("TUNSETOFFLOAD " + name + ": " + Libc.describe(err));
      }
      if (Libc.ioctl(errno, fd, TUNSETPERSIST, MemorySegment.ofAddress(1)) != 0) {
        int err = errno.value();
        Libc.close(errno, fd);
        throw new IOException("TUNSETPERSIST " + name + ": " + Libc.describe(err));
      }
      return new TapDevice(name, netns, fd, !existed, offloads);
    }
  }

  /**
   * Closes the agent's side. The interface stays (persistent) unless {@code remove} is set and this
   * agent created it: a hypervisor's tap is the hypervisor's to delete.
   */
  void close(boolean remove) {
    try (Arena arena = Arena.ofConfined()) {
      Libc.Errno errno = new Libc.Errno(arena);
      if (remove && created) {
        Libc.ioctl(errno, fd, TUNSETPERSIST, MemorySegment.NULL);
      } else if (offloads) {
        // Whoever attaches next may read without a header: it must not get 64 KB super-frames.
        Libc.ioctl(errno, fd, TUNSETOFFLOAD, MemorySegment.NULL);
      }
      Libc.close(errno, fd);
    }
  }

  @Override
  public String toString() {
    return name + (netns == null ? "" : " in netns " + netns);
  }
}
