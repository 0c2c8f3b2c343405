package dev.grpcspring.interop;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our interop client ({@link InteropCases} on a {@link ClientConn}) against grpc-java's interop
 * server in this JVM.
 *
 * <p>grpc-java's interop server does not implement everything some cases check: it does not
 * check {@code expect_compressed} (so the probes of client_compressed_unary and
 * client_compressed_streaming, which expect INVALID_ARGUMENT, fail there), it never compresses
 * streamed responses (server_compressed_streaming checks each message's compressed flag), and it
 * leaves {@code server_id} empty (pick_first_unary). Against it the {@code _noprobe} variants run
 * instead of the probing ones, and server_compressed_streaming is shown to catch the uncompressed
 * stream; every case, strictly, runs against our own server in {@link InteropClientOwnServerTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class InteropClientTest {
  private GrpcJavaInteropServer server;
  private ClientConn conn;

  /** Whether grpc-java's server and our client speak TLS (with grpc's test certificates). */
  boolean tls() {
    return false;
  }

  @BeforeAll
  void start() throws Exception {
    server = new GrpcJavaInteropServer(tls());
    conn = dial();
  }

  /**
   * Over TLS, what our interop client's {@code --use_tls=true --use_test_ca=true
   * --server_host_override=foo.test.google.fr} dial: grpc's test CA, and the name server1 is for.
   */
  ClientConn dial() {
    DialOptions.Builder options = DialOptions.newBuilder();
    if (tls()) {
      options.transportCredentials(InteropTls.client(true, null))
          .authority(GrpcJavaInteropClient.TEST_HOST_OVERRIDE + ":" + server.port());
    } else {
      options.insecure();
    }
    return ClientConn.dial("localhost:" + server.port(), options.build());
  }

  int serverPort() {
    return server.port();
  }

  @AfterAll
  void stop() throws Exception {
    if (conn != null) {
      conn.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "empty_unary", "large_unary", "client_compressed_unary_noprobe", "server_compressed_unary",
      "client_streaming", "client_compressed_streaming_noprobe", "server_streaming",
      "ping_pong", "empty_stream", "custom_metadata",
      "status_code_and_message", "special_status_message", "unimplemented_method",
      "unimplemented_service", "cancel_after_begin", "cancel_after_first_response",
      "timeout_on_sleeping_server", "very_large_request", "rpc_soak", "channel_soak"})
  void casePassesAgainstGrpcJavaServer(String testCase) throws Exception {
    new InteropCases(conn, SoakTest.Config.DEFAULTS, SoakTest.fresh(this::dial)).run(testCase);
  }

  @Test
  void serverCompressedStreamingNoticesThatGrpcJavaSendsStreamsUncompressed() {
    assertThatThrownBy(() -> new InteropCases(conn).run("server_compressed_streaming"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("compressed flags were [false, false] instead of [true, false]");
  }
}
