package io.weft.dataplane.backend.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an action inside a named network namespace ({@code /run/netns/NAME}, as {@code ip netns}
 * makes them). {@code setns} changes only the calling thread, so the action runs on a fresh
 * platform thread that ends afterwards; sockets and TAP devices opened there stay bound to that
 * namespace for their whole life, wherever they are used later.
 */
final class Netns {

  private Netns() {}

  /** Runs {@code action} in namespace {@code name}, or right here when {@code name} is null. */
  static <T> T run(String name, Callable<T> action) throws IOException {
    if (name == null || name.isEmpty()) {
      return call(action);
    }
    AtomicReference<Object> result = new AtomicReference<>();
    Thread t =
        Thread.ofPlatform()
            .name("weft-netns-" + name)
            .start(() -> {
              try {
                enter(name);
                result.set(new Ok(action.call()));
              } catch (Exception e) {
                result.set(e);
              }
            });
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted entering network namespace " + name, e);
    }
    Object r = result.get();
    if (r instanceof Ok ok) {
      @SuppressWarnings("unchecked")
      T value = (T) ok.value();
      return value;
    }
    if (r instanceof IOException io) {
      throw io;
    }
    throw new IOException("in network namespace " + name + ": " + r, (Throwable) r);
  }

  private record Ok(Object value) {}

  private static void enter(String name) throws IOException {
    String path = name.startsWith("/") ? name : "/run/netns/" + name;
    try (Arena arena = Arena.ofConfined()) {
      Libc.Errno errno = new Libc.Errno(arena);
      int fd = Libc.open(errno, arena.allocateFrom(path), Libc.O_RDONLY | Libc.O_CLOEXEC);
      if (fd < 0) {
        throw new IOException(
            "cannot open network namespace " + path + ": " + Libc.describe(errno.value()));
      }
      int rc = Libc.setns(errno, fd, Libc.CLONE_NEWNET);
      int err = errno.value();
      Libc.close(errno, fd);
      if (rc != 0) {
        throw new IOException("setns(" + path + "): " + Libc.describe(err));
      }
    }
  }

  private static <T> T call(Callable<T> action) throws IOException {
    try {
      return action.call();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}
