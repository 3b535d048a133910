package io.weft.dataplane.backend.memory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The provider network inside one JVM: delivers outer IPv4 packets to the host owning the PA. */
public final class MemoryUnderlay {

  private final Map<Integer, Consumer<byte[]>> hosts = new ConcurrentHashMap<>();

  public void register(int pa, Consumer<byte[]> receiver) {
    hosts.put(pa, receiver);
  }

  public void unregister(int pa) {
    hosts.remove(pa);
  }

  /** Copies the packet and hands it to the host with {@code pa}; silently lost if none. */
  public void send(int pa, byte[] b, int off, int len) {
    Consumer<byte[]> receiver = hosts.get(pa);
    if (receiver != null) {
      byte[] copy = new byte[len];
      System.arraycopy(b, off, copy, 0, len);
      receiver.accept(copy);
    }
  }
}
