package io.weft.dataplane.codec;

/** Exposes the "decode everything" routine of {@link MalformedInputTest} to the fuzz tests. */
public final class MalformedInputProbe {

  private MalformedInputProbe() {}

  public static void decodeEverything(byte[] data, ParsedFrame f) {
    MalformedInputTest.decodeEverything(data, 0, data.length, f);
  }
}
