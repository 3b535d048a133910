package io.weft.bench.dataplane;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code ./weft bench dataplane [JMH options]}: runs {@link DataplaneBenchmarks} with the GC
 * profiler, so the report shows {@code gc.alloc.rate.norm} (bytes allocated per packet).
 */
public final class DataplaneBenchmarkMain {

  private DataplaneBenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    Options fromArgs = new CommandLineOptions(args);
    Options options =
        new OptionsBuilder()
            .parent(fromArgs)
            .include(DataplaneBenchmarks.class.getName())
            .addProfiler(GCProfiler.class)
            .build();
    new Runner(options).run();
  }
}
