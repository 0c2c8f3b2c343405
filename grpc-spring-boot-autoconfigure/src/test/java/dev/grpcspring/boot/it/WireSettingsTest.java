package dev.grpcspring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.Code;
import dev.grpcspring.StatusException;

import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.client.GrpcChannelFactory;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Channel settings from YAML, as a grpc-java server sees them on the wire: the request encoding and
 * the user agent.
 */
class WireSettingsTest {

  private Server peer;
  private final Map<String, String> seen = new ConcurrentHashMap<>();

  /** Passes the bytes through: an EchoRequest's text field reads as an EchoResponse's text. */
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  @BeforeEach
  void startPeer() throws IOException {
    MethodDescriptor<byte[], byte[]> echo = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(EchoServiceGrpc.getEchoMethod().getFullMethodName())
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
    ServerServiceDefinition service = ServerServiceDefinition.builder(EchoServiceGrpc.SERVICE_NAME)
        .addMethod(echo, ServerCalls.asyncUnaryCall((req, obs) -> {
          obs.onNext(req);
          obs.onCompleted();
        }))
        .build();
    ServerInterceptor recorder = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
          Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        for (String key : List.of("grpc-encoding", "user-agent")) {
          String v = headers.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
          if (v != null) {
            seen.put(key, v);
          }
        }
        return next.startCall(call, headers);
      }
    };
    peer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(service, recorder))
        .build()
        .start();
  }

  @AfterEach
  void stopPeer() throws InterruptedException {
    peer.shutdownNow().awaitTermination();
  }

  @Test
  void compressionUserAgentAndInboundLimitFromYamlShowOnTheWire() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class))
        .withInitializer(ctx -> {
          try {
            for (PropertySource<?> source : new YamlPropertySourceLoader()
                .load("compression.yml", new ClassPathResource("compression.yml"))) {
              ctx.getEnvironment().getPropertySources().addLast(source);
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })
        .withPropertyValues("grpc.client.channel.default.target=127.0.0.1:" + peer.getPort())
        .run(ctx -> {
          GrpcChannelFactory channels = ctx.getBean(GrpcChannelFactory.class);
          String text = "x".repeat(1000);
          assertThat(EchoServiceGrpc.newBlockingStub(channels.getChannel("peer", List.of()))
              .echo(EchoRequest.newBuilder().setText(text).build()).getText()).isEqualTo(text);
          assertThat(seen.get("grpc-encoding")).isEqualTo("gzip");
          assertThat(seen.get("user-agent")).startsWith("yaml-agent/1.0");

          // The response is as large as the request: over the "small" channel's inbound limit.
          assertThatThrownBy(() -> EchoServiceGrpc.newBlockingStub(
                  channels.getChannel("small", List.of()))
              .echo(EchoRequest.newBuilder().setText("y".repeat(2000)).build()))
              .isInstanceOfSatisfying(StatusException.class, e ->
                  assertThat(e.getStatus().getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED));
        });
  }
}
