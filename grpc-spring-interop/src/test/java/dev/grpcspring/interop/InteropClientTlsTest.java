package dev.grpcspring.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link InteropClientTest} over TLS: grpc-java's interop server as TestServiceServer
 * {@code --use_tls=true} serves it (grpc's test certificate server1) and our client trusts grpc's
 * test CA under the name {@code foo.test.google.fr}; and the {@code client} command with those
 * flags, and without the test CA (the JDK's trust, which does not know grpc's test CA).
 */
class InteropClientTlsTest extends InteropClientTest {
  @Override
  boolean tls() {
    return true;
  }

  private int client(String... flags) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] args = new String[flags.length + 3];
    args[0] = "client";
    args[1] = "--server_host=localhost";
    args[2] = "--server_port=" + serverPort();
    System.arraycopy(flags, 0, args, 3, flags.length);
    int exit = InteropMain.run(args, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true));
    lastError = err.toString(StandardCharsets.UTF_8);
    return exit;
  }

  private String lastError;

  @Test
  void theClientCommandWithTheTestCaPassesAndWithTheJdkTrustIsRefused() {
    assertThat(client("--test_case=large_unary", "--use_tls=true", "--use_test_ca=true",
        "--server_host_override=foo.test.google.fr")).as(lastError).isZero();

    assertThat(client("--test_case=empty_unary", "--use_tls=true",
        "--server_host_override=foo.test.google.fr")).isEqualTo(ExitCode.FAILED);
    assertThat(lastError).contains("FAILED empty_unary").contains("UNAVAILABLE")
        .contains("TLS handshake");

    assertThat(client("--test_case=empty_unary", "--use_tls=true", "--use_test_ca=true"))
        .as("server1 is not valid for localhost").isEqualTo(ExitCode.FAILED);
  }
}
