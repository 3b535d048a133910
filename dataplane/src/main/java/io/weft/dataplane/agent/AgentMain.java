package io.weft.dataplane.agent;

import java.io.PrintStream;
import java.util.Map;

/**
 * {@code ./weft agent}: runs one host agent as a process until it is stopped. Options and their
 * environment variables are in {@link AgentOptions}; a bad one prints the problem and the usage and
 * exits with status 2.
 */
public final class AgentMain {

  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    AgentOptions options = parse(args, System.getenv(), System.err);
    if (options == null) {
      System.exit(2);
    }
    AgentProcess agent = AgentProcess.start(options);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> {
              try {
                agent.close();
              } catch (Exception e) {
                System.err.println("weft agent: shutdown: " + e);
              }
            }));
    Thread.currentThread().join();
  }

  /** The options, or null after printing what is wrong and the usage to {@code err}. */
  static AgentOptions parse(String[] args, Map<String, String> env, PrintStream err) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      err.print(AgentOptions.usage());
      return null;
    }
    try {
      return AgentOptions.parse(args, env);
    } catch (AgentOptions.BadOption e) {
      err.println("weft agent: " + e.getMessage());
      err.print(AgentOptions.usage());
      return null;
    }
  }
}
