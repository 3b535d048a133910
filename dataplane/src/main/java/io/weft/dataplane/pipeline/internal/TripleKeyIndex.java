package io.weft.dataplane.pipeline.internal;

/**
 * An open-addressing map from three longs to a non-negative int, built once per table and read on
 * the packet path without allocating. Not thread-safe; rebuilt, never mutated, after a table is
 * installed.
 */
public final class TripleKeyIndex {

  private final long[] a;
  private final long[] b;
  private final long[] c;
  private final int[] values;
  private final int mask;

  public TripleKeyIndex(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected * 2 + 1) - 1) << 1;
    a = new long[capacity];
    b = new long[capacity];
    c = new long[capacity];
    values = new int[capacity];
    java.util.Arrays.fill(values, -1);
    mask = capacity - 1;
  }

  private static int hash(long x, long y, long z) {
    long h = x * 0x9E3779B97F4A7C15L + y;
    h = (h ^ (h >>> 29)) * 0xBF58476D1CE4E5B9L + z;
    h = (h ^ (h >>> 32)) * 0x94D049BB133111EBL;
    return (int) (h ^ (h >>> 31));
  }

  /** Inserts or replaces; capacity is fixed, so callers size it for all keys. */
  public void put(long x, long y, long z, int value) {
    int i = hash(x, y, z) & mask;
    while (values[i] >= 0 && !(a[i] == x && b[i] == y && c[i] == z)) {
      i = (i + 1) & mask;
    }
    a[i] = x;
    b[i] = y;
    c[i] = z;
    values[i] = value;
  }

  /** The value, or -1 when absent. */
  public int get(long x, long y, long z) {
    int i = hash(x, y, z) & mask;
    while (true) {
      int v = values[i];
      if (v < 0) {
        return -1;
      }
      if (a[i] == x && b[i] == y && c[i] == z) {
        return v;
      }
      i = (i + 1) & mask;
    }
  }
}
