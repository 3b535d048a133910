package io.weft.dataplane.pipeline;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.weft.dataplane.codec.FrameParser;
import io.weft.dataplane.codec.ParsedFrame;

/**
 * Jazzer fuzz tests of the packet entry points. Under a normal test run they replay the seed corpus
 * in {@code PipelineFuzzTestInputs/}; with {@code JAZZER_FUZZ=1} they fuzz. Any exception escaping
 * is a finding: malformed input must be counted and dropped.
 */
class PipelineFuzzTest {

  private static final SwitchOutput DISCARD =
      new SwitchOutput() {
        @Override
        public void toPort(String portId, byte[] b, int off, int len) {}

        @Override
        public void toUnderlay(int pa, byte[] b, int off, int len) {}
      };

  private final ParsedFrame frame = new ParsedFrame();
  private final VirtualSwitch sw =
      new VirtualSwitch(VirtualSwitchTest.table(), DISCARD, LeaseAuthority.TABLE_ONLY, () -> 0);

  @FuzzTest(maxDuration = "10s")
  void decoders(byte[] data) {
    FrameParser.parse(data, 0, data.length, frame);
    io.weft.dataplane.codec.MalformedInputProbe.decodeEverything(data, frame);
  }

  @FuzzTest(maxDuration = "10s")
  void switchEntryPoints(byte[] data) {
    sw.fromPort("vm1", data, 0, data.length);
    sw.fromPort("vm6", data, 0, data.length);
    sw.fromUnderlay(data, 0, data.length);
    if (sw.counters().dropped(DropReason.MALFORMED) < 0) {
      throw new AssertionError("counter overflow");
    }
  }
}
