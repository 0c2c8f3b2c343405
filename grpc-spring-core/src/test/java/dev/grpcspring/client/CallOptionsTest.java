package dev.grpcspring.client;

import static dev.grpcspring.client.JavaPeer.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Code;
import dev.grpcspring.Marshaller;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.StatusException;
import dev.grpcspring.credentials.PerRpcCredentials;
import dev.grpcspring.interceptor.ClientInterceptor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** grpc-go's call options and the dial options that shape calls, against grpc-java's server. */
class CallOptionsTest {
  static JavaPeer peer;

  @BeforeAll
  static void setUp() throws Exception {
    peer = JavaPeer.start("java");
  }

  @AfterAll
  static void tearDown() throws Exception {
    peer.close();
  }

  static PerRpcCredentials token(String value, boolean requireSecurity) {
    return new PerRpcCredentials() {
      @Override
      public CompletionStage<Metadata> getRequestMetadata(RequestInfo info) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + value);
        md.put(Metadata.Key.of("x-method", Metadata.ASCII_STRING_MARSHALLER), info.fullMethodName());
        return CompletableFuture.completedFuture(md);
      }

      @Override
      public boolean requireTransportSecurity() {
        return requireSecurity;
      }
    };
  }

  @Test
  void perRpcCredentialsAddMetadataAndAreRefusedOnPlaintextUnlessAllowed() throws Exception {
    try (ClientConn cc = ClientConn.dial(peer.target(), ClientConnTest.fast().build())) {
      peer.seenHeaders.clear();
      cc.invoke(JavaPeer.UNARY, sv("x"),
          ClientCallOptions.withPerRpcCredentials(CallOptions.DEFAULT, token("t1", false)));
      io.grpc.Metadata seen = peer.awaitHeaders("x-method",
          m -> m.containsKey(ClientCallTest.key("x-method")));
      assertThat(seen.get(ClientCallTest.key("authorization"))).isEqualTo("Bearer t1");
      assertThat(seen.get(ClientCallTest.key("x-method"))).isEqualTo("test.Echo/Unary");

      assertThatThrownBy(() -> cc.invoke(JavaPeer.UNARY, sv("x"),
              ClientCallOptions.withPerRpcCredentials(CallOptions.DEFAULT, token("t2", true))))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAUTHENTICATED);
            assertThat(e.getMessage()).contains("plaintext");
          });
    }
    assertThatThrownBy(() -> ClientConn.dial(peer.target(),
            ClientConnTest.fast().perRpcCredentials(token("t3", true)).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("require transport security");
  }

  @Test
  void credentialsThatCompleteAfterTheRequestWasSentStillCarryIt() throws Exception {
    CompletableFuture<Metadata> later = new CompletableFuture<>();
    PerRpcCredentials slow = new PerRpcCredentials() {
      @Override
      public CompletionStage<Metadata> getRequestMetadata(RequestInfo info) {
        return later;
      }

      @Override
      public boolean requireTransportSecurity() {
        return false;
      }
    };
    // The token arrives only once the application has sent its request and half-closed.
    ClientInterceptor releaseAfterSend = new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        return new dev.grpcspring.interceptor.ForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            headers.put(Metadata.Key.of("x-case", Metadata.ASCII_STRING_MARSHALLER), "late");
            super.start(listener, headers);
          }

          @Override
          public void halfClose() {
            super.halfClose();
            Metadata md = new Metadata();
            md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer late");
            later.completeAsync(() -> md);
          }
        };
      }
    };
    try (ClientConn cc = ClientConn.dial(peer.target(),
        ClientConnTest.fast().perRpcCredentials(slow).build())) {
      peer.seenHeaders.clear();
      Channel channel = dev.grpcspring.interceptor.ClientInterceptors.intercept(cc,
          List.of(releaseAfterSend));
      assertThat(dev.grpcspring.stub.ClientCalls.blockingUnaryCall(channel, JavaPeer.UNARY,
          CallOptions.DEFAULT, sv("x"))).isNotNull();
      io.grpc.Metadata seen = peer.awaitHeaders("x-case: late",
          m -> "late".equals(m.get(ClientCallTest.key("x-case"))));
      assertThat(seen.get(ClientCallTest.key("authorization"))).isEqualTo("Bearer late");
    }
  }

  @Test
  void interceptorsRunInOrderAndByCallKind() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    try (ClientConn cc = ClientConn.dial(peer.target(), ClientConnTest.fast()
        .interceptors(recording("all-1", order), recording("all-2", order))
        .unaryInterceptors(recording("unary", order))
        .streamInterceptors(recording("stream", order))
        .build())) {
      cc.invoke(JavaPeer.UNARY, sv("x"), CallOptions.DEFAULT);
      assertThat(order).containsExactly("all-1", "all-2", "unary");
      order.clear();
      ClientStream<StringValue, StringValue> s = cc.newStream(JavaPeer.BIDI, CallOptions.DEFAULT);
      s.closeSend();
      assertThat(s.recvMsg()).isNull();
      assertThat(order).containsExactly("all-1", "all-2", "stream");
    }
  }

  @Test
  void contentSubtypePeerAndDefaultCallOptions() throws Exception {
    AtomicReference<Peer> peerRef = new AtomicReference<>();
    try (ClientConn cc = ClientConn.dial(peer.target(), ClientConnTest.fast()
        .defaultCallOptions(CallOptions.DEFAULT.withMaxInboundMessageSize(100))
        .userAgent("my-app/1.0")
        .build())) {
      peer.seenHeaders.clear();
      cc.invoke(JavaPeer.UNARY, sv("x"), ClientCallOptions.withPeerCapture(
          ClientCallOptions.withContentSubtype(CallOptions.DEFAULT, "proto"), peerRef));
      io.grpc.Metadata seen = peer.awaitHeaders("user-agent my-app/1.0", m -> String.valueOf(
          m.get(ClientCallTest.key("user-agent"))).startsWith("my-app/1.0"));
      assertThat(seen.get(ClientCallTest.key("content-type"))).isEqualTo("application/grpc+proto");
      assertThat(seen.get(ClientCallTest.key("user-agent"))).startsWith("my-app/1.0 grpc-spring/");
      assertThat(((InetSocketAddress) peerRef.get().remoteAddress()).getPort()).isEqualTo(peer.port());
      assertThat(peerRef.get().securityProtocol()).isEqualTo("insecure");
      // The channel's default receive limit applies to calls that set none.
      assertThatThrownBy(() -> cc.invoke(JavaPeer.UNARY, sv("big:500"), CallOptions.DEFAULT))
          .isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED));
    }
  }

  @Test
  void forcedCodecReplacesTheMethodsMarshallers() throws Exception {
    CallCodec upper = new CallCodec() {
      @Override
      public String name() {
        return "proto";
      }

      @Override
      @SuppressWarnings("unchecked")
      public <T> Marshaller<T> marshaller(Marshaller<T> methodMarshaller) {
        Marshaller<StringValue> m = (Marshaller<StringValue>) methodMarshaller;
        return (Marshaller<T>) new Marshaller<StringValue>() {
          @Override
          public int serializedSize(StringValue value) {
            return -1;
          }

          @Override
          public void serialize(StringValue value, io.netty.buffer.ByteBuf out) {
            m.serialize(StringValue.of(value.getValue().toUpperCase()), out);
          }

          @Override
          public StringValue parse(io.netty.buffer.ByteBuf in) {
            return StringValue.of("parsed:" + m.parse(in).getValue());
          }
        };
      }
    };
    try (ClientConn cc = ClientConn.dial(peer.target(), ClientConnTest.fast().build())) {
      assertThat(cc.invoke(JavaPeer.UNARY, sv("abc"), ClientCallOptions.withCodec(CallOptions.DEFAULT, upper))
          .getValue()).isEqualTo("parsed:ABC");
    }
  }

  @Test
  void sendLimitFailsTheCallLocally() throws Exception {
    try (ClientConn cc = ClientConn.dial(peer.target(), ClientConnTest.fast().build())) {
      assertThatThrownBy(() -> cc.invoke(JavaPeer.UNARY, sv("y".repeat(500)),
              CallOptions.DEFAULT.withMaxOutboundMessageSize(100)))
          .isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED));
    }
  }

  static ClientInterceptor recording(String name, List<String> order) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
        order.add(name);
        return next.newCall(method, callOptions);
      }
    };
  }
}
