package dev.grpcspring.interop;

import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import java.io.PrintStream;
import java.util.Set;

/**
 * The {@code client} command: dials the server and runs one {@link InteropCases case} on a
 * grpc-spring {@link ClientConn}.
 */
final class InteropClient {
  static final Set<String> FLAGS = Set.of("server_host", "server_port", "test_case", "use_tls",
      "server_host_override", "use_test_ca", "service_config_json", "soak_iterations",
      "soak_max_failures", "soak_per_iteration_max_acceptable_latency_ms",
      "soak_overall_timeout_seconds", "soak_min_time_ms_between_rpcs", "soak_request_size",
      "soak_response_size", "ca_file");

  private InteropClient() {}

  /** Runs the case the flags name; returns the exit code. */
  static int run(Flags flags, PrintStream out, PrintStream err) {
    boolean useTls = flags.bool("use_tls", false);
    boolean useTestCa = flags.bool("use_test_ca", false);
    String caFile = flags.string("ca_file", null);
    if (!useTls && (useTestCa || caFile != null)) {
      err.println("--use_test_ca and --ca_file choose whom a TLS client trusts: add "
          + "--use_tls=true");
      return ExitCode.USAGE;
    }
    String host = flags.string("server_host", "localhost");
    int port = flags.port("server_port", 8080);
    String testCase = flags.string("test_case", "empty_unary");
    String unsupported = InteropCases.NOT_SUPPORTED.get(testCase);
    if (unsupported != null) {
      err.println("Test case '" + testCase + "' is not supported by this client: " + unsupported);
      return ExitCode.USAGE;
    }
    if (!InteropCases.NAMES.contains(testCase)) {
      err.println("Unknown test case '" + testCase + "'; this client runs: "
          + String.join(", ", InteropCases.NAMES));
      return ExitCode.USAGE;
    }

    DialOptions.Builder options = DialOptions.newBuilder();
    if (useTls) {
      options.transportCredentials(InteropTls.client(useTestCa, caFile));
    } else {
      options.insecure();
    }
    String override = flags.string("server_host_override", null);
    if (override != null) {
      options.authority(hostPort(override, port));
    }
    String serviceConfig = flags.string("service_config_json", null);
    if (serviceConfig != null) {
      options.defaultServiceConfig(serviceConfig);
    }
    SoakTest.Config d = SoakTest.Config.DEFAULTS;
    SoakTest.Config soak = new SoakTest.Config(
        flags.integer("soak_iterations", d.iterations(), 1),
        flags.integer("soak_max_failures", d.maxFailures(), 0),
        flags.integer("soak_per_iteration_max_acceptable_latency_ms",
            d.maxAcceptableLatencyMs(), 1),
        flags.integer("soak_overall_timeout_seconds", d.overallTimeoutSeconds(), 1),
        flags.integer("soak_min_time_ms_between_rpcs", d.minTimeMsBetweenRpcs(), 0),
        flags.integer("soak_request_size", d.requestSize(), 0),
        flags.integer("soak_response_size", d.responseSize(), 0));
    String target = hostPort(host, port);
    DialOptions dialOptions = options.build();
    ClientConn conn = ClientConn.dial(target, dialOptions);
    try {
      new InteropCases(conn, soak, SoakTest.fresh(() -> ClientConn.dial(target, dialOptions)))
          .run(testCase);
      out.println("PASSED " + testCase);
      return 0;
    } catch (AssertionError | StatusException e) {
      err.println("FAILED " + testCase + ": " + oneLine(reason(e)));
      return ExitCode.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("FAILED " + testCase + ": interrupted");
      return ExitCode.FAILED;
    } catch (Exception e) {
      err.println("FAILED " + testCase + ": " + oneLine(e.toString()));
      return ExitCode.FAILED;
    } finally {
      conn.close();
    }
  }

  private static String reason(Throwable t) {
    if (t instanceof StatusException se) {
      Status s = se.getStatus();
      return "the call failed with " + s.getCode()
          + (s.getDescription() == null ? "" : ": " + s.getDescription());
    }
    return String.valueOf(t.getMessage());
  }

  /** The failure line must be one line; status messages in these cases carry CR, LF and tabs. */
  private static String oneLine(String text) {
    return text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
  }

  private static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }
}
