package io.weft.archfixture.fabric.internal;

/** A fabric implementation detail. */
public class FabricSecret {
  public static int value() {
    return 42;
  }
}
