package dev.grpcspring.interop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * grpc-java's interop client (its own case code, over grpc-netty-shaded) against our interop
 * server, in this JVM on a loopback port: every case issue 2 lists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class GrpcJavaClientTest {
  private InteropServer server;

  /** Whether the server and grpc-java's client speak TLS (with grpc's test certificates). */
  boolean tls() {
    return false;
  }

  @BeforeAll
  void startServer() throws Exception {
    server = tls() ? InteropServer.start(0, InteropTls.server(null, null)) : InteropServer.start(0);
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "empty_unary", "large_unary", "client_compressed_unary", "client_compressed_unary_noprobe",
      "server_compressed_unary", "client_streaming", "client_compressed_streaming",
      "client_compressed_streaming_noprobe", "server_streaming", "server_compressed_streaming",
      "ping_pong", "empty_stream", "custom_metadata", "status_code_and_message",
      "special_status_message", "unimplemented_method", "unimplemented_service",
      "cancel_after_begin", "cancel_after_first_response", "timeout_on_sleeping_server",
      "very_large_request", "pick_first_unary"})
  void grpcJavaCasePasses(String testCase) throws Exception {
    try (GrpcJavaInteropClient client = new GrpcJavaInteropClient("localhost", server.port(),
        tls())) {
      client.run(testCase);
    }
  }
}
