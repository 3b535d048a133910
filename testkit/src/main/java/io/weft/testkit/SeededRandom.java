package io.weft.testkit;

import java.util.Random;

/**
 * Randomness for property-style tests that can be replayed: the seed comes from {@code
 * -Dweft.seed=N} when given, else from the clock, and is printed so a failure can be rerun exactly.
 */
public final class SeededRandom {

  private SeededRandom() {}

  /** A generator whose seed is printed with the given label. */
  public static Random create(String label) {
    long seed = Long.getLong("weft.seed", System.nanoTime());
    System.out.println("[seed] " + label + ": -Dweft.seed=" + seed);
    return new Random(seed);
  }
}
