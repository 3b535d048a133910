package io.weft.dataplane.backend.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The state of a vNIC's tap as its VM set it: a VM that took its interface down gets nothing the
 * agent writes to the tap (the kernel answers the write with EIO), so a probe delivered there shows
 * no reply. The flags are read with {@code SIOCGIFFLAGS} in the tap's namespace.
 */
final class TapLink {

  private static final long SIOCGIFFLAGS = 0x8913;
  private static final short IFF_UP = 0x1;
  private static final int IFREQ = 40;

  private TapLink() {}

  /** Why the VM cannot take frames on tap {@code ifName}, or null when it is up (or unknown). */
  static String problem(String ifName, String netns) {
    try {
      Short flags = Netns.run(netns, () -> flags(ifName));
      if (flags == null) {
        return null;
      }
      return (flags & IFF_UP) == 0
          ? "the VM has set its interface down, so the host cannot hand it frames"
          : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static Short flags(String ifName) {
    try (Arena arena = Arena.ofConfined()) {
      Libc.Errno errno = new Libc.Errno(arena);
      int fd = Libc.socket(errno, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
      if (fd < 0) {
        return null;
      }
      try {
        MemorySegment ifr = arena.allocate(IFREQ);
        MemorySegment name = arena.allocateFrom(ifName);
        MemorySegment.copy(name, 0, ifr, 0, Math.min(name.byteSize(), 16));
        if (Libc.ioctl(errno, fd, SIOCGIFFLAGS, ifr) != 0) {
          return null;
        }
        return ifr.get(ValueLayout.JAVA_SHORT, 16);
      } finally {
        Libc.close(errno, fd);
      }
    }
  }
}
