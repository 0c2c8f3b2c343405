package dev.grpcspring.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shaded jar, exactly as a person runs it: {@code java -jar target/grpc-spring-interop.jar
 * server --port=0} in its own process answers grpc-java's interop client, and the jar's
 * {@code client} command passes against that server and against grpc-java's interop server. Runs
 * in {@code verify}
 * (maven-failsafe), after {@code package} has built the jar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class InteropJarIT {
  private static final Path JAR = Path.of("target", "grpc-spring-interop.jar");

  private JavaProcess server;
  private int port;

  @BeforeAll
  void startJarServer() throws Exception {
    assertThat(JAR).as("the shaded jar; run ./mvnw verify, which packages it first").exists();
    server = JavaProcess.withJar(JAR, "server", "--port=0");
    port = server.awaitPort(30, TimeUnit.SECONDS);
  }

  @AfterAll
  void stopJarServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "empty_unary", "large_unary", "client_compressed_unary", "server_compressed_unary",
      "client_streaming", "client_compressed_streaming", "server_streaming",
      "server_compressed_streaming", "ping_pong", "empty_stream", "custom_metadata",
      "status_code_and_message", "special_status_message", "unimplemented_method",
      "unimplemented_service", "cancel_after_begin", "cancel_after_first_response",
      "timeout_on_sleeping_server", "very_large_request"})
  void jarServerAnswersGrpcJavaClient(String testCase) throws Exception {
    try (GrpcJavaInteropClient client = new GrpcJavaInteropClient("localhost", port)) {
      client.run(testCase);
    }
    assertThat(server.isAlive()).as("server output:\n%s", server.output()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"client_compressed_streaming", "custom_metadata", "channel_soak"})
  void jarClientPassesAgainstJarServer(String testCase) throws Exception {
    // channel_soak's first iteration includes the client JVM's warm-up (class loading, JIT); the
    // 1 s default limit per iteration then fails on a loaded 2-core machine. The case is here to
    // show the jar runs soak, not to time it.
    try (JavaProcess client = JavaProcess.withJar(JAR, "client", "--server_host=localhost",
        "--server_port=" + port, "--test_case=" + testCase, "--use_tls=false",
        "--soak_per_iteration_max_acceptable_latency_ms=5000")) {
      assertThat(client.awaitExit(60, TimeUnit.SECONDS)).as(client.output()).isZero();
      assertThat(client.output()).contains("PASSED " + testCase);
    }
  }

  @Test
  void jarClientPassesAgainstGrpcJavaServer() throws Exception {
    try (GrpcJavaInteropServer grpcJava = new GrpcJavaInteropServer();
        JavaProcess client = JavaProcess.withJar(JAR, "client", "--server_host=localhost",
            "--server_port=" + grpcJava.port(), "--test_case=ping_pong")) {
      assertThat(client.awaitExit(60, TimeUnit.SECONDS)).as(client.output()).isZero();
    }
  }

  @Test
  void jarServesTlsWithGrpcsTestCertificateAndItsClientTrustsTheTestCa() throws Exception {
    try (JavaProcess tls = JavaProcess.withJar(JAR, "server", "--port=0", "--use_tls=true")) {
      int tlsPort = tls.awaitPort(30, TimeUnit.SECONDS);
      try (GrpcJavaInteropClient client = new GrpcJavaInteropClient("localhost", tlsPort, true)) {
        client.run("large_unary");
      }
      try (JavaProcess client = JavaProcess.withJar(JAR, "client", "--server_host=localhost",
          "--server_port=" + tlsPort, "--test_case=ping_pong", "--use_tls=true",
          "--use_test_ca=true", "--server_host_override=foo.test.google.fr")) {
        assertThat(client.awaitExit(60, TimeUnit.SECONDS)).as(client.output()).isZero();
      }
    }
  }
}
