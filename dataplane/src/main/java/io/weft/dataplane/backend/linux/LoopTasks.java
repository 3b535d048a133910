package io.weft.dataplane.backend.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work handed to a Linux host's loop thread by other threads (tables to install, counters, probes,
 * captures): queued, and signalled through an eventfd that the loop polls beside the taps and the
 * underlay, so the switch keeps its single writer. Work asked for on the loop thread itself runs at
 * once (a lease listener waiting for the loop would wait for itself).
 */
final class LoopTasks {

  private static final Logger LOG = LoggerFactory.getLogger(LoopTasks.class);

  private final ConcurrentLinkedQueue<Runnable> queued = new ConcurrentLinkedQueue<>();
  private final Libc.Errno loopErrno;
  private final Libc.Errno wakeErrno;
  private final MemorySegment wakeValue;
  private final MemorySegment wakeDrain;
  private final int wakeFd;
  private volatile Thread loop;

  /** Opens the eventfd; its buffers live as long as {@code arena}. */
  LoopTasks(Arena arena) throws IOException {
    this.loopErrno = new Libc.Errno(arena);
    this.wakeErrno = new Libc.Errno(arena);
    this.wakeValue = arena.allocate(8, 8);
    this.wakeDrain = arena.allocate(8, 8);
    this.wakeFd = Libc.eventfd(loopErrno, 0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
    if (wakeFd < 0) {
      throw new IOException("eventfd: " + Libc.describe(loopErrno.value()));
    }
    wakeValue.set(ValueLayout.JAVA_LONG, 0, 1L);
  }

  /** The thread that runs the work: the host's loop, before it starts. */
  void runOn(Thread loopThread) {
    this.loop = loopThread;
  }

  /** The eventfd the loop polls: readable when work (or a stop) is waiting. */
  int wakeFd() {
    return wakeFd;
  }

  /** Runs {@code work} on the loop thread; the future completes with its result or failure. */
  <T> CompletableFuture<T> submit(Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable task =
        () -> {
          try {
            result.complete(work.get());
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        };
    if (Thread.currentThread() == loop) { // e.g. a lease listener: waiting would deadlock
      task.run();
      return result;
    }
    queued.add(task);
    wake();
    return result;
  }

  /** Wakes the loop from its poll. */
  void wake() {
    Libc.write(wakeErrno, wakeFd, wakeValue, 8);
  }

  /** On the loop, after the poll: clears the wake-up (if {@code woken}) and runs what is queued. */
  void runQueued(boolean woken) {
    if (woken) {
      Libc.read(loopErrno, wakeFd, wakeDrain, 8);
    }
    Runnable r;
    while ((r = queued.poll()) != null) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("task on the switch loop failed", e);
      }
    }
  }

  /** On the loop, as it ends: closes the eventfd. */
  void close() {
    Libc.close(loopErrno, wakeFd);
  }
}
