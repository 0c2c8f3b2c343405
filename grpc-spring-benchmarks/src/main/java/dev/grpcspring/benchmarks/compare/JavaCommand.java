package dev.grpcspring.benchmarks.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines for benchmark JVMs: the running JDK, on this process's own class path. */
final class JavaCommand {
  private JavaCommand() {}

  /** {@code java <jvmArgs> -cp <this class path> <mainClass> <args>}. */
  static List<String> of(List<String> jvmArgs, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }
}
