package dev.grpcspring.benchmarks.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code --server-cpus} and {@code --client-cpus}: the CPUs the server JVM and the driver run on,
 * through {@code taskset -c}. grpc-java's published benchmarks run server and client on separate
 * machines, so the client's work never takes CPU from the server it measures; on one machine,
 * disjoint CPU sets do the same, and a server's QPS then shows its own cost per call instead of
 * a share of the cores it fights the driver for. Unpinned (the default), every process may run
 * anywhere.
 *
 * @param serverCpus a {@code taskset} CPU list ("0", "0-1", "0,2"), or null for no pinning
 * @param clientCpus the same for the driver
 */
record CpuPinning(String serverCpus, String clientCpus) {
  /** No pinning: commands run as given. */
  static final CpuPinning NONE = new CpuPinning(null, null);

  private static final Pattern CPU_LIST = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");
  private static final Path TASKSET = Path.of("/usr/bin/taskset");

  /**
   * Reads the two options: both or neither, each a CPU list of this machine, the two disjoint.
   *
   * @throws IllegalArgumentException naming what is wrong and what to pass instead
   */
  static CpuPinning parse(String serverCpus, String clientCpus) {
    if (serverCpus == null && clientCpus == null) {
      return NONE;
    }
    if (serverCpus == null || clientCpus == null) {
      throw new IllegalArgumentException("--server-cpus and --client-cpus go together (pinning"
          + " one side only lets the other run on its CPUs too); got --server-cpus="
          + serverCpus + " --client-cpus=" + clientCpus);
    }
    int cpus = Runtime.getRuntime().availableProcessors();
    BitSet server = cpuSet("--server-cpus", serverCpus, cpus);
    BitSet client = cpuSet("--client-cpus", clientCpus, cpus);
    if (server.intersects(client)) {
      throw new IllegalArgumentException("--server-cpus=" + serverCpus + " and --client-cpus="
          + clientCpus + " overlap: give the server and the driver CPUs of their own");
    }
    if (!Files.isExecutable(TASKSET)) {
      throw new IllegalArgumentException("CPU pinning needs " + TASKSET
          + " (Debian: apt-get install util-linux)");
    }
    return new CpuPinning(serverCpus, clientCpus);
  }

  private static BitSet cpuSet(String option, String list, int cpus) {
    if (!CPU_LIST.matcher(list).matches()) {
      throw new IllegalArgumentException(option + " takes a CPU list such as 0, 0-1 or 0,2; got '"
          + list + "'");
    }
    BitSet set = new BitSet();
    for (String part : list.split(",")) {
      int dash = part.indexOf('-');
      int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
      int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
      if (from > to || to >= cpus) {
        throw new IllegalArgumentException(option + "=" + list + " names CPUs this machine lacks"
            + " (it has 0-" + (cpus - 1) + ")");
      }
      set.set(from, to + 1);
    }
    return set;
  }

  boolean pinned() {
    return serverCpus != null;
  }

  /** The server's command line, pinned. */
  List<String> server(List<String> command) {
    return prefixed(serverCpus, command);
  }

  /** A driver's command line (our client, AsyncClient, h2load), pinned. */
  List<String> client(List<String> command) {
    return prefixed(clientCpus, command);
  }

  private static List<String> prefixed(String cpus, List<String> command) {
    if (cpus == null) {
      return command;
    }
    List<String> pinned = new ArrayList<>(command.size() + 3);
    pinned.add(TASKSET.toString());
    pinned.add("-c");
    pinned.add(cpus);
    pinned.addAll(command);
    return pinned;
  }

  /** For the run's header: "servers on CPUs 0, drivers on CPUs 1" or "unpinned". */
  String describe() {
    return pinned() ? "servers on CPUs " + serverCpus + ", drivers on CPUs " + clientCpus
        : "unpinned";
  }
}
