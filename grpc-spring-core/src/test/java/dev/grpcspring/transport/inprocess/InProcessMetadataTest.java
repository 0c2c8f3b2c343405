package dev.grpcspring.transport.inprocess;

import static dev.grpcspring.transport.inprocess.InProcessHarness.req;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.StatusProto;
import dev.grpcspring.client.ClientCallOptions;
import dev.grpcspring.codegen.test.EchoResponse;
import dev.grpcspring.codegen.test.EchoServiceGrpc;
import dev.grpcspring.interceptor.ClientInterceptor;
import dev.grpcspring.interceptor.ForwardingClientCall;
import dev.grpcspring.interceptor.ForwardingServerCall;
import dev.grpcspring.interceptor.ServerInterceptor;
import dev.grpcspring.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Request metadata, response headers, trailers and status over in-process, as over HTTP/2. */
class InProcessMetadataTest {
  static final Metadata.Key<String> ASCII = Metadata.Key.of("x-ascii", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<byte[]> BINARY = Metadata.Key.of("x-data-bin", Metadata.BINARY_BYTE_MARSHALLER);
  static final Metadata.Key<String> HEADER = Metadata.Key.of("x-header", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> USER_AGENT = Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> CONTENT_TYPE = Metadata.Key.of("content-type", Metadata.ASCII_STRING_MARSHALLER);

  /** Records request headers and adds a response header and a trailer to every call. */
  static final class Recorder implements ServerInterceptor {
    final BlockingQueue<Metadata> seen = new LinkedBlockingQueue<>();
    final BlockingQueue<String> authorities = new LinkedBlockingQueue<>();

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
        Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      seen.add(headers);
      authorities.add(String.valueOf(call.getAuthority()));
      return next.startCall(new ForwardingServerCall<>(call) {
        @Override
        public void sendHeaders(Metadata h) {
          h.put(HEADER, "header-value");
          super.sendHeaders(h);
        }

        @Override
        public void close(Status status, Metadata trailers) {
          trailers.put(InProcessHarness.TRAILER_KEY, "from-interceptor");
          super.close(status, trailers);
        }
      }, headers);
    }
  }

  /** Adds {@code md} to each call's request headers. */
  static ClientInterceptor attach(Metadata md) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
          CallOptions callOptions, Channel next) {
        return new ForwardingClientCall<>(next.newCall(method, callOptions)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            headers.merge(md);
            super.start(listener, headers);
          }
        };
      }
    };
  }

  @Test
  void requestMetadataReachesTheServerAsOverHttp2() throws Exception {
    Recorder recorder = new Recorder();
    try (InProcessHarness h = new InProcessHarness(b -> b.intercept(recorder), b -> {})) {
      Metadata md = new Metadata();
      md.put(ASCII, "  padded value ");
      md.put(BINARY, new byte[] {0, 1, 2, (byte) 0xff});
      md.put(CONTENT_TYPE, "text/plain"); // the transport owns it: dropped, as HTTP/2 drops it
      EchoResponse r = h.blocking().withInterceptors(attach(md)).echo(req("hi"));

      assertThat(r.getText()).isEqualTo("hi");
      Metadata seen = recorder.seen.poll(10, TimeUnit.SECONDS);
      assertThat(seen.get(ASCII)).isEqualTo("padded value");
      assertThat(seen.get(BINARY)).containsExactly(0, 1, 2, 0xff);
      assertThat(seen.get(USER_AGENT)).startsWith("grpc-spring/");
      assertThat(seen.containsKey(CONTENT_TYPE)).isFalse();
      assertThat(recorder.authorities.poll(10, TimeUnit.SECONDS)).isEqualTo("localhost");
    }
  }

  @Test
  void responseHeadersTrailersAndStatusReachTheClient() throws Exception {
    Recorder recorder = new Recorder();
    try (InProcessHarness h = new InProcessHarness(b -> b.intercept(recorder), b -> {})) {
      AtomicReference<Metadata> headers = new AtomicReference<>();
      AtomicReference<Metadata> trailers = new AtomicReference<>();
      EchoServiceGrpc.EchoServiceBlockingStub stub = h.blocking()
          .withOption(ClientCallOptions.HEADER_CAPTURE, headers)
          .withOption(ClientCallOptions.TRAILER_CAPTURE, trailers);

      stub.echo(req("ok"));
      assertThat(headers.get().get(HEADER)).isEqualTo("header-value");
      assertThat(trailers.get().get(InProcessHarness.TRAILER_KEY)).isEqualTo("from-interceptor");

      assertThatThrownBy(() -> stub.echo(req("fail:ABORTED:it went wrong: 100% (ü)")))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.ABORTED);
            assertThat(e.getStatus().getDescription()).isEqualTo("it went wrong: 100% (ü)");
            // Only what the wire carries crosses: never the server's exception.
            assertThat(e.getStatus().getCause()).isNull();
            assertThat(e.getTrailers().get(InProcessHarness.TRAILER_KEY)).isEqualTo("from-interceptor");
          });
    }
  }

  @Test
  void richStatusDetailsCrossInTrailers() throws Exception {
    com.google.rpc.Status rich = com.google.rpc.Status.newBuilder()
        .setCode(Code.FAILED_PRECONDITION.value())
        .setMessage("rich failure")
        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("REASON").setDomain("test").build()))
        .build();
    String name = "rich-" + java.util.UUID.randomUUID();
    dev.grpcspring.server.Server server = dev.grpcspring.server.Server.builder().inProcessName(name)
        .registerService(new EchoServiceGrpc.EchoServiceImplBase() {
          @Override
          public void echo(dev.grpcspring.codegen.test.EchoRequest request,
              StreamObserver<EchoResponse> out) {
            out.onError(StatusProto.toStatusException(rich));
          }
        }).build().start();
    dev.grpcspring.client.ClientConn cc = dev.grpcspring.client.ClientConn.dial("in-process:" + name,
        dev.grpcspring.client.DialOptions.newBuilder().insecure().build());
    try {
      assertThatThrownBy(() -> EchoServiceGrpc.newBlockingStub(cc).echo(req("x")))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.FAILED_PRECONDITION);
            assertThat(StatusProto.fromThrowable(e)).isEqualTo(rich);
          });
    } finally {
      cc.close();
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void requestHeadersOverTheServerLimitAreResourceExhausted() throws Exception {
    try (InProcessHarness h = new InProcessHarness(b -> b.maxInboundMetadataSize(1024), b -> {})) {
      Metadata md = new Metadata();
      md.put(ASCII, "v".repeat(2000));
      assertThatThrownBy(() -> h.blocking().withInterceptors(attach(md)).echo(req("x")))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).contains("limit of 1024 bytes");
          });
      // The connection is fine for the next call.
      assertThat(h.blocking().echo(req("after")).getText()).isEqualTo("after");
    }
  }

  @Test
  void responseHeadersOverTheClientLimitFailTheCall() throws Exception {
    try (InProcessHarness h = new InProcessHarness(b -> {}, b -> b.maxHeaderListSize(1024))) {
      assertThatThrownBy(() -> h.blocking().echo(req("fail:INTERNAL:" + "d".repeat(2000))))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.INTERNAL);
            assertThat(e.getStatus().getDescription()).contains("Response headers too large");
          });
      assertThat(h.blocking().echo(req("after")).getText()).isEqualTo("after");
    }
  }

  @Test
  void unknownMethodIsUnimplemented() throws Exception {
    try (InProcessHarness h = new InProcessHarness()) {
      MethodDescriptor<dev.grpcspring.codegen.test.EchoRequest, EchoResponse> m =
          MethodDescriptor.<dev.grpcspring.codegen.test.EchoRequest, EchoResponse>newBuilder()
              .setType(dev.grpcspring.MethodType.UNARY)
              .setFullMethodName("nope.Service/Echo")
              .setRequestMarshaller(EchoServiceGrpc.getEchoMethod().getRequestMarshaller())
              .setResponseMarshaller(EchoServiceGrpc.getEchoMethod().getResponseMarshaller())
              .build();
      assertThatThrownBy(() -> dev.grpcspring.stub.ClientCalls.blockingUnaryCall(h.channel, m,
          CallOptions.DEFAULT, req("x")))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.UNIMPLEMENTED);
            assertThat(e.getStatus().getDescription()).contains("nope.Service/Echo");
          });
    }
  }
}
