package dev.grpcspring.benchmarks.callpath;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a trace of method entries with their stack depths as calls between packages: which package
 * called which, in what order each was first entered, and where the way out turns back: a call
 * into a package that is already on the stack beneath a different one (a return trip, such as a
 * transport calling back into the protocol layer that called it), or into a layer above one on the
 * stack. A flat list of entries counts a return to the caller as a crossing; this does not, since
 * returning is not visiting.
 */
record StackWalk(List<String> firstEntries, Set<String> edges, Set<String> revisits) {
  /** The layers of the way out, top to bottom; every other package is a helper any layer may call. */
  static final Map<String, Integer> LAYERS =
      Map.of("stub", 0, "client", 1, "balancer", 2, "protocol", 3, "transport", 4);

  static StackWalk of(List<CallPathCommand.Entry> entries) {
    Set<String> first = new LinkedHashSet<>();
    Set<String> edges = new LinkedHashSet<>();
    Set<String> revisits = new LinkedHashSet<>();
    for (CallPathCommand.Entry e : entries) {
      // Outermost first.
      List<String> stack = new ArrayList<>();
      for (String caller : e.callers()) {
        stack.add(0, packageOf(caller));
      }
      String pkg = packageOf(e.method());
      if (!pkg.equals("(root)")) {
        first.add(pkg);
      }
      if (!stack.isEmpty()) {
        String caller = stack.get(stack.size() - 1);
        if (!caller.equals(pkg)) {
          edges.add(caller + " -> " + pkg);
          boolean back = false;
          boolean up = false;
          int rank = LAYERS.getOrDefault(layer(pkg), -1);
          for (String f : stack) {
            back |= f.equals(pkg);
            up |= rank >= 0 && LAYERS.getOrDefault(layer(f), -1) > rank;
          }
          if (back || up) {
            revisits.add(chain(stack) + " -> " + pkg + " (" + simple(e.method()) + ")");
          }
        }
      }
    }
    return new StackWalk(new ArrayList<>(first), edges, revisits);
  }

  /** {@code transport.inprocess} belongs to the transport layer. */
  private static String layer(String pkg) {
    int dot = pkg.indexOf('.');
    return dot < 0 ? pkg : pkg.substring(0, dot);
  }

  static String packageOf(String method) {
    String type = method.substring(0, method.lastIndexOf('.'));
    String pkg = type.substring(0, type.lastIndexOf('.'));
    return pkg.equals("dev.grpcspring") ? "(root)" : pkg.substring("dev.grpcspring.".length());
  }

  private static String chain(List<String> stack) {
    List<String> pkgs = new ArrayList<>();
    for (String p : stack) {
      if (pkgs.isEmpty() || !pkgs.get(pkgs.size() - 1).equals(p)) {
        pkgs.add(p);
      }
    }
    return String.join(" -> ", pkgs);
  }

  private static String simple(String method) {
    String type = method.substring(0, method.lastIndexOf('.'));
    return method.substring(type.lastIndexOf('.') + 1);
  }
}
