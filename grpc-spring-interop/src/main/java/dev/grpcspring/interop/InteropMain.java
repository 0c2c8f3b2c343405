package dev.grpcspring.interop;

import dev.grpcspring.credentials.ServerCredentials;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The interop command line, with the flags of grpc-java's interop tools:
 *
 * <pre>
 * java -jar grpc-spring-interop.jar server --port=N [--use_tls=false]
 *     [--tls_cert_file=PEM --tls_key_file=PEM]
 * java -jar grpc-spring-interop.jar client --server_host=H --server_port=P --test_case=NAME
 *     [--use_tls=false] [--server_host_override=NAME] [--use_test_ca=false] [--ca_file=PEM]
 *     [--service_config_json=JSON] [--soak_iterations=N ...]
 * </pre>
 *
 * <p>The server prints one line with its port once it is ready and serves until the process is
 * killed. The client runs one case and exits 0 if it passed; otherwise it prints one line saying why
 * and exits 1. Bad command lines exit 2. With {@code --use_tls=true} the server presents grpc's
 * test certificate {@code server1} (or the PEM files named), and the client trusts grpc's test CA
 * with {@code --use_test_ca=true}, the PEM roots of {@code --ca_file}, or else the JDK's trust
 * store; clients of the test certificate also pass {@code --server_host_override=foo.test.google.fr}.
 * Plaintext is the default on both sides (grpc-java's tools default to TLS).
 */
public final class InteropMain {
  private static final String USAGE = String.join("\n",
      "Usage:",
      "  server --port=N [--use_tls=false] [--tls_cert_file=PEM --tls_key_file=PEM]",
      "  client --server_host=HOST --server_port=PORT --test_case=NAME [--use_tls=false]",
      "         [--server_host_override=NAME] [--use_test_ca=false] [--ca_file=PEM]",
      "         [--service_config_json=JSON]",
      "         [--soak_iterations=10] [--soak_max_failures=0] [--soak_overall_timeout_seconds=10]",
      "         [--soak_per_iteration_max_acceptable_latency_ms=1000]",
      "         [--soak_min_time_ms_between_rpcs=0] [--soak_request_size=271828]",
      "         [--soak_response_size=314159]",
      "Test cases: " + String.join(", ", InteropCases.NAMES));

  private InteropMain() {}

  /** Runs the command in {@code args} and exits with its code; see the class comment. */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
    // The client is done; its channel threads are daemons, but leave no doubt.
    if (args.length > 0 && args[0].equals("client")) {
      System.exit(0);
    }
  }

  /**
   * Runs a command; returns the process exit code. The server command returns only when its
   * server has terminated.
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println(USAGE);
      return ExitCode.USAGE;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    try {
      return switch (args[0]) {
        case "server" -> server(Flags.parse(rest,
            Set.of("port", "use_tls", "tls_cert_file", "tls_key_file")), out, err);
        case "client" -> InteropClient.run(Flags.parse(rest, InteropClient.FLAGS), out, err);
        case "help", "--help", "-h" -> {
          out.println(USAGE);
          yield 0;
        }
        default -> {
          err.println("Unknown command '" + args[0] + "'; use server or client.\n" + USAGE);
          yield ExitCode.USAGE;
        }
      };
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return ExitCode.USAGE;
    }
  }

  private static int server(Flags flags, PrintStream out, PrintStream err) {
    boolean useTls = flags.bool("use_tls", false);
    String certFile = flags.string("tls_cert_file", null);
    String keyFile = flags.string("tls_key_file", null);
    if (!useTls && (certFile != null || keyFile != null)) {
      err.println("--tls_cert_file and --tls_key_file are for TLS: add --use_tls=true");
      return ExitCode.USAGE;
    }
    int port = flags.port("port", null);
    ServerCredentials credentials = useTls ? InteropTls.server(certFile, keyFile)
        : ServerCredentials.insecure();
    InteropServer server;
    try {
      server = InteropServer.start(port, credentials);
    } catch (java.io.IOException e) {
      err.println("Could not listen on port " + port + ": " + e.getMessage());
      return ExitCode.FAILED;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "interop-server-shutdown"));
    out.println("grpc-spring interop server listening on port " + server.port()
        + (useTls ? " with TLS" : ""));
    out.flush();
    try {
      server.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
    }
    return 0;
  }
}
