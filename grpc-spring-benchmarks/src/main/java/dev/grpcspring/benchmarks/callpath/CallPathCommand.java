package dev.grpcspring.benchmarks.callpath;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.LaunchingConnector;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.MethodEntryEvent;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.EventRequestManager;
import com.sun.jdi.request.MethodEntryRequest;
import dev.grpcspring.benchmarks.Options;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code call-path}: which of our packages one blocking unary call passes through on the calling
 * thread, in order, from the stub until the thread waits for the response. Runs {@link
 * CallPathTarget} in a child JVM under the JDK's debugger interface (JDI) and records every method
 * entry in {@code dev.grpcspring.*} (generated benchmark classes excepted) on that thread.
 *
 * <p>{@code --classpath} runs the target against another build: put an older jar first, this one
 * after it, and the older core's classes are the ones traced.
 */
public final class CallPathCommand {
  private static final String TARGET = CallPathTarget.class.getName();
  /** The blocking stub parks the caller here to wait for the response: the way out ends. */
  private static final String WAIT = "waitAndDrain";

  private CallPathCommand() {}

  public static int run(Options options, PrintStream out) throws Exception {
    String classpath = options.string("classpath", System.getProperty("java.class.path"));
    boolean verbose = options.flag("verbose");
    options.checkAllUsed();
    List<Entry> traced = trace(classpath);
    List<String> entries = new ArrayList<>();
    for (Entry e : traced) {
      entries.add(e.method());
    }
    List<String> path = new ArrayList<>();
    String last = null;
    for (Entry entry : traced) {
      String e = entry.method();
      if (verbose) {
        out.println("  " + " ".repeat(Math.max(0, entry.depth() - traced.get(0).depth())) + e);
      }
      // A lambda's class is ours in name only: its body is the code it forwards to (often Netty's),
      // so a callback such as a header sink is not counted as a visit of the package that made it.
      if (e.contains("$$Lambda")) {
        continue;
      }
      String pkg = e.substring(0, e.lastIndexOf('.', e.lastIndexOf('.') - 1));
      if (!pkg.equals(last)) {
        path.add(pkg.equals("dev.grpcspring") ? "(root)" : pkg.substring("dev.grpcspring.".length()));
        last = pkg;
      }
    }
    out.println("method entries on the calling thread, stub to wait: " + entries.size());
    out.println("package crossings: " + (path.size() - 1));
    out.println("path: " + String.join(" -> ", path));
    List<String> layers = new ArrayList<>();
    for (String p : path) {
      // The root package holds value types every layer uses (Metadata, Status, CallOptions).
      if (!p.equals("(root)") && (layers.isEmpty() || !layers.get(layers.size() - 1).equals(p))) {
        layers.add(p);
      }
    }
    out.println("package crossings without the root package: " + (layers.size() - 1));
    out.println("layers: " + String.join(" -> ", layers));
    StackWalk walk = StackWalk.of(traced);
    List<String> layerOrder = new ArrayList<>();
    List<String> helpers = new ArrayList<>();
    for (String p : walk.firstEntries()) {
      (StackWalk.LAYERS.containsKey(p) ? layerOrder : helpers).add(p);
    }
    out.println("layers in order of first entry: " + String.join(" -> ", layerOrder));
    out.println("helper packages entered: " + String.join(", ", helpers));
    out.println("calls between packages (caller -> callee): " + walk.edges().size() + " kinds, "
        + String.join(", ", walk.edges()));
    out.println("returns to a package already on the stack, or calls up a layer: "
        + walk.revisits().size());
    for (String r : walk.revisits()) {
      out.println("  " + r);
    }
    return 0;
  }

  /**
   * One method entered on the traced thread, at its stack depth, with the methods of ours beneath
   * it on the stack, innermost first (the JDK's and Netty's frames between them left out).
   */
  record Entry(int depth, String method, List<String> callers) {}

  private static List<Entry> trace(String classpath) throws Exception {
    LaunchingConnector connector = Bootstrap.virtualMachineManager().defaultConnector();
    Map<String, Connector.Argument> args = connector.defaultArguments();
    args.get("main").setValue(TARGET);
    args.get("options").setValue("-cp " + classpath);
    VirtualMachine vm = connector.launch(args);
    // The child's output is not needed, but its pipes must be drained or it may block.
    drain(vm.process().getInputStream());
    drain(vm.process().getErrorStream());
    EventRequestManager erm = vm.eventRequestManager();
    ClassPrepareRequest prepare = erm.createClassPrepareRequest();
    prepare.addClassFilter(TARGET);
    prepare.enable();
    List<Entry> entries = new ArrayList<>();
    MethodEntryRequest entry = null;
    boolean waiting = false;
    vm.resume();
    while (true) {
      EventSet set = vm.eventQueue().remove();
      for (Event event : set) {
        if (event instanceof ClassPrepareEvent cp) {
          ReferenceType type = cp.referenceType();
          for (String name : List.of("begin", "end")) {
            Method m = type.methodsByName(name).get(0);
            BreakpointRequest bp = erm.createBreakpointRequest(m.location());
            bp.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
            bp.enable();
          }
        } else if (event instanceof BreakpointEvent bp) {
          String name = bp.location().method().name();
          ThreadReference thread = bp.thread();
          if (name.equals("begin")) {
            entry = erm.createMethodEntryRequest();
            entry.addThreadFilter(thread);
            entry.addClassFilter("dev.grpcspring.*");
            entry.addClassExclusionFilter("dev.grpcspring.benchmarks.*");
            entry.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
            entry.enable();
          } else if (entry != null) {
            entry.disable();
          }
        } else if (event instanceof MethodEntryEvent me && !waiting) {
          Method m = me.method();
          if (m.name().equals(WAIT)) {
            waiting = true;
            // Recording ends here; the thread still has to run to end() without the request.
            entry.disable();
          } else {
            List<StackFrame> frames = me.thread().frames();
            List<String> callers = new ArrayList<>();
            for (StackFrame f : frames.subList(1, frames.size())) {
              Method caller = f.location().method();
              String type = caller.declaringType().name();
              if (type.startsWith("dev.grpcspring.") && !type.startsWith("dev.grpcspring.benchmarks.")) {
                callers.add(type + "." + caller.name());
              }
            }
            entries.add(new Entry(frames.size(), m.declaringType().name() + "." + m.name(),
                callers));
          }
        } else if (event instanceof VMDeathEvent || event instanceof VMDisconnectEvent) {
          if (entries.isEmpty()) {
            throw new IllegalStateException("The traced JVM ended without reaching the call;"
                + " is " + TARGET + " on the class path?");
          }
          return entries;
        }
      }
      set.resume();
    }
  }

  private static void drain(java.io.InputStream in) {
    Thread t = new Thread(() -> {
      try {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      } catch (java.io.IOException e) {
        // The child is gone; nothing more to read.
      }
    }, "call-path-drain");
    t.setDaemon(true);
    t.start();
  }
}
