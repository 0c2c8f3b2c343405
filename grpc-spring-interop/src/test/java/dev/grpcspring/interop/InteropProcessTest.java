package dev.grpcspring.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The interop command line across processes: {@code InteropMain server} runs in its own JVM (this
 * JVM's class path, so it works under {@code ./mvnw test}; {@code InteropJarIT} does the same with
 * the shaded jar after {@code package}) and answers grpc-java's interop client, both its case code
 * in this JVM and its real {@code TestServiceClient} command in a third JVM (over grpc-okhttp:
 * its Netty path needs the unshaded grpc-netty, which is kept off our class path).
 */
@Timeout(120)
class InteropProcessTest {
  @Test
  void serverProcessAnswersGrpcJavaClients() throws Exception {
    try (JavaProcess server = JavaProcess.withClassPath(
        InteropMain.class.getName(), "server", "--port=0", "--use_tls=false")) {
      int port = server.awaitPort(30, TimeUnit.SECONDS);

      for (String testCase : new String[] {"large_unary", "client_compressed_streaming",
          "ping_pong", "custom_metadata", "special_status_message", "unimplemented_service"}) {
        try (GrpcJavaInteropClient client = new GrpcJavaInteropClient("localhost", port)) {
          client.run(testCase);
        }
      }

      try (JavaProcess client = JavaProcess.withClassPath(
          "io.grpc.testing.integration.TestServiceClient", "--server_host=localhost",
          "--server_port=" + port, "--test_case=server_streaming", "--use_tls=false",
          "--use_okhttp=true")) {
        int exit = client.awaitExit(60, TimeUnit.SECONDS);
        assertThat(exit).as("grpc-java TestServiceClient output:\n%s", client.output())
            .isZero();
      }
      // Our own client command, run in this JVM, against the server process.
      for (String testCase : new String[] {"client_compressed_unary", "pick_first_unary"}) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = InteropMain.run(new String[] {"client", "--server_host=localhost",
            "--server_port=" + port, "--test_case=" + testCase, "--use_tls=false"},
            new PrintStream(out, true), new PrintStream(err, true));
        assertThat(exit).as("stderr: %s", err).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("PASSED " + testCase);
      }
      assertThat(server.isAlive()).as("server output:\n%s", server.output()).isTrue();
    }
  }

  @Test
  void failingCaseExitsNonZeroWithOneLineReason() throws Exception {
    // grpc-java's interop server does not check expect_compressed, so the probe must fail there.
    try (GrpcJavaInteropServer server = new GrpcJavaInteropServer()) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int exit = InteropMain.run(new String[] {"client", "--server_port=" + server.port(),
          "--test_case=client_compressed_unary"},
          new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));

      String message = err.toString(StandardCharsets.UTF_8);
      assertThat(exit).isEqualTo(ExitCode.FAILED);
      assertThat(message).startsWith("FAILED client_compressed_unary: ")
          .contains("INVALID_ARGUMENT");
      assertThat(message.strip()).doesNotContain("\n");
    }
  }

  @Test
  void tlsFlagMistakesAreUsageErrors() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true);
    PrintStream out = new PrintStream(new ByteArrayOutputStream());

    assertThat(InteropMain.run(new String[] {"server", "--port=0", "--tls_cert_file=a.pem"},
        out, errStream)).isEqualTo(ExitCode.USAGE);
    assertThat(InteropMain.run(new String[] {"server", "--port=0", "--use_tls=true",
        "--tls_cert_file=a.pem"}, out, errStream)).isEqualTo(ExitCode.USAGE);
    assertThat(InteropMain.run(new String[] {"client", "--use_test_ca=true"}, out, errStream))
        .isEqualTo(ExitCode.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--tls_cert_file and --tls_key_file are for TLS: add --use_tls=true")
        .contains("--tls_cert_file and --tls_key_file go together")
        .contains("--use_test_ca and --ca_file choose whom a TLS client trusts");
  }

  @Test
  void badFlagsAreUsageErrors() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true);
    PrintStream out = new PrintStream(new ByteArrayOutputStream());

    assertThat(InteropMain.run(new String[] {"server", "--prot=1"}, out, errStream))
        .isEqualTo(ExitCode.USAGE);
    assertThat(InteropMain.run(new String[] {"server", "--port=http"}, out, errStream))
        .isEqualTo(ExitCode.USAGE);
    assertThat(InteropMain.run(new String[] {"client", "--test_case=no_such_case"}, out,
        errStream)).isEqualTo(ExitCode.USAGE);
    assertThat(InteropMain.run(new String[] {"client", "--test_case=cacheable_unary"}, out,
        errStream)).isEqualTo(ExitCode.USAGE);
    assertThat(InteropMain.run(new String[] {"serve"}, out, errStream))
        .isEqualTo(ExitCode.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Unknown flag --prot")
        .contains("--port must be a port number")
        .contains("Unknown test case 'no_such_case'")
        .contains("Test case 'cacheable_unary' is not supported by this client")
        .contains("Unknown command 'serve'");
  }
}
