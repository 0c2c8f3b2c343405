package dev.grpcspring.interop;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import io.grpc.testing.TlsTesting;
import io.grpc.testing.integration.AbstractInteropTest;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.TestCases;

/**
 * grpc-java's own interop client cases ({@link AbstractInteropTest}, the code behind its
 * {@code TestServiceClient}) pointed at a server on {@code host:port} over plaintext HTTP/2 or TLS, with
 * whichever grpc-java transport is on the class path (grpc-netty-shaded here). Census metric checks
 * are off: they need a grpc-java server in the same process.
 */
final class GrpcJavaInteropClient extends AbstractInteropTest implements AutoCloseable {
  /** The name grpc's test certificate server1 is valid for, as grpc's interop docs pass it. */
  static final String TEST_HOST_OVERRIDE = "foo.test.google.fr";

  private final String host;
  private final int port;
  private final boolean tls;

  GrpcJavaInteropClient(String host, int port) {
    this(host, port, false);
  }

  /**
   * With {@code tls}, as TestServiceClient {@code --use_tls=true --use_test_ca=true
   * --server_host_override=foo.test.google.fr}: trusts grpc's test CA ({@code certs/ca.pem} of
   * grpc-testing) and checks the server's certificate against that name.
   */
  GrpcJavaInteropClient(String host, int port, boolean tls) {
    this.host = host;
    this.port = port;
    this.tls = tls;
    setUp();
  }

  @Override
  protected ManagedChannelBuilder<?> createChannelBuilder() {
    if (!tls) {
      return Grpc.newChannelBuilderForAddress(host, port, InsecureChannelCredentials.create())
          .maxInboundMessageSize(MAX_MESSAGE_SIZE);
    }
    try {
      return Grpc.newChannelBuilderForAddress(host, port, TlsChannelCredentials.newBuilder()
              .trustManager(TlsTesting.loadCert("ca.pem")).build())
          .overrideAuthority(TEST_HOST_OVERRIDE)
          .maxInboundMessageSize(MAX_MESSAGE_SIZE);
    } catch (IOException e) {
      throw new UncheckedIOException("grpc-testing's certs/ca.pem cannot be read", e);
    }
  }

  @Override
  protected boolean metricsExpected() {
    return false;
  }

  /** Runs one case by its {@code --test_case} name, the way grpc-java's TestServiceClient does. */
  void run(String name) throws Exception {
    TestCases testCase = TestCases.fromString(name);
    switch (testCase) {
      case EMPTY_UNARY -> emptyUnary();
      case LARGE_UNARY -> largeUnary();
      case CLIENT_COMPRESSED_UNARY -> clientCompressedUnary(true);
      case CLIENT_COMPRESSED_UNARY_NOPROBE -> clientCompressedUnary(false);
      case SERVER_COMPRESSED_UNARY -> serverCompressedUnary();
      case CLIENT_STREAMING -> clientStreaming();
      case CLIENT_COMPRESSED_STREAMING -> clientCompressedStreaming(true);
      case CLIENT_COMPRESSED_STREAMING_NOPROBE -> clientCompressedStreaming(false);
      case SERVER_STREAMING -> serverStreaming();
      case SERVER_COMPRESSED_STREAMING -> serverCompressedStreaming();
      case PING_PONG -> pingPong();
      case EMPTY_STREAM -> emptyStream();
      case CUSTOM_METADATA -> customMetadata();
      case STATUS_CODE_AND_MESSAGE -> statusCodeAndMessage();
      case SPECIAL_STATUS_MESSAGE -> specialStatusMessage();
      case UNIMPLEMENTED_METHOD -> unimplementedMethod();
      case UNIMPLEMENTED_SERVICE -> unimplementedService();
      case CANCEL_AFTER_BEGIN -> cancelAfterBegin();
      case CANCEL_AFTER_FIRST_RESPONSE -> cancelAfterFirstResponse();
      case TIMEOUT_ON_SLEEPING_SERVER -> timeoutOnSleepingServer();
      case VERY_LARGE_REQUEST -> veryLargeRequest();
      case PICK_FIRST_UNARY -> pickFirstUnary();
      default -> throw new IllegalArgumentException(
          "case " + name + " needs credentials, a proxy or an LB policy this test does not set up");
    }
  }

  /**
   * pick_first_unary: grpc-java keeps this case in TestServiceClient's private tester, so it is
   * restated here with grpc-java's stubs: 100 calls asking for the server id all see the same one.
   * (grpc-java first waits 5 s so that a round_robin channel would have spread out; with the
   * single address these tests use there is nothing to spread over.)
   */
  private void pickFirstUnary() {
    SimpleRequest request = SimpleRequest.newBuilder()
        .setResponseSize(1)
        .setFillServerId(true)
        .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[1])))
        .build();
    String first = blockingStub.unaryCall(request).getServerId();
    if (first.isEmpty()) {
      throw new AssertionError("server_id is empty though fill_server_id was set");
    }
    for (int i = 0; i < 100; i++) {
      String id = blockingStub.unaryCall(request).getServerId();
      if (!first.equals(id)) {
        throw new AssertionError("call " + (i + 2) + " saw server " + id + ", not " + first);
      }
    }
  }

  @Override
  public void close() {
    tearDown();
  }
}
