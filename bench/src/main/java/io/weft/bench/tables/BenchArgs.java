package io.weft.bench.tables;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A generated-cloud bench's command line: numbers by position, and the word {@code postgres}
 * anywhere to run on the local PostgreSQL instead of H2.
 *
 * @param numbers the arguments other than {@code postgres}, in order
 */
record BenchArgs(boolean postgres, List<String> numbers) {

  static BenchArgs parse(String[] args) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    boolean postgres = rest.remove("postgres");
    return new BenchArgs(postgres, List.copyOf(rest));
  }

  /** The number at {@code position}, or {@code fallback} when the command line stops before it. */
  int number(int position, int fallback) {
    return numbers.size() > position ? Integer.parseInt(numbers.get(position)) : fallback;
  }
}
