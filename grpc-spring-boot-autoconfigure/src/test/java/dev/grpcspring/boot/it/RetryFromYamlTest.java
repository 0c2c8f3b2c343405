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
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * {@code service-config.method[].retry} and {@code retry-throttling} from YAML make real retries,
 * counted on a grpc-java server that fails the first attempts of each call.
 */
class RetryFromYamlTest {
  private static final Metadata.Key<String> PREVIOUS =
      Metadata.Key.of("grpc-previous-rpc-attempts", Metadata.ASCII_STRING_MARSHALLER);

  private Server peer;
  /** The grpc-previous-rpc-attempts of every attempt, by request bytes ("-" when absent). */
  private final Map<String, List<String>> attempts = new ConcurrentHashMap<>();

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
    ThreadLocal<String> previous = new ThreadLocal<>();
    ServerServiceDefinition service = ServerServiceDefinition.builder(EchoServiceGrpc.SERVICE_NAME)
        .addMethod(echo, ServerCalls.asyncUnaryCall((req, obs) -> {
          // The request's bytes key the call; the first two attempts of each fail.
          List<String> seen = attempts.computeIfAbsent(
              new String(req, StandardCharsets.ISO_8859_1), k -> new CopyOnWriteArrayList<>());
          seen.add(previous.get());
          if (seen.size() <= 2) {
            obs.onError(Status.UNAVAILABLE.withDescription("attempt " + seen.size() + " fails")
                .asRuntimeException());
            return;
          }
          obs.onNext(req);
          obs.onCompleted();
        }))
        .build();
    peer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .directExecutor() // the interceptor and the handler run on the same thread
        .addService(io.grpc.ServerInterceptors.intercept(service, new io.grpc.ServerInterceptor() {
          @Override
          public <ReqT, RespT> io.grpc.ServerCall.Listener<ReqT> interceptCall(
              io.grpc.ServerCall<ReqT, RespT> call, Metadata headers,
              io.grpc.ServerCallHandler<ReqT, RespT> next) {
            String p = headers.get(PREVIOUS);
            io.grpc.ServerCall.Listener<ReqT> delegate = next.startCall(call, headers);
            return new io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
              @Override
              public void onHalfClose() {
                previous.set(p == null ? "-" : p);
                super.onHalfClose();
              }
            };
          }
        }))
        .build()
        .start();
  }

  @AfterEach
  void stopPeer() throws InterruptedException {
    peer.shutdownNow().awaitTermination();
  }

  private static EchoRequest request(String text) {
    return EchoRequest.newBuilder().setText(text).build();
  }

  private List<String> attemptsOf(String text) {
    return attempts.get(new String(request(text).toByteArray(), StandardCharsets.ISO_8859_1));
  }

  @Test
  void retryPolicyAndThrottlingFromYamlAreSeenByTheServer() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class))
        .withInitializer(ctx -> {
          try {
            for (PropertySource<?> source : new YamlPropertySourceLoader()
                .load("retry.yml", new ClassPathResource("retry.yml"))) {
              ctx.getEnvironment().getPropertySources().addLast(source);
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })
        .withPropertyValues("grpc.client.channel.default.target=127.0.0.1:" + peer.getPort())
        .run(ctx -> {
          GrpcChannelFactory channels = ctx.getBean(GrpcChannelFactory.class);

          // Two failures, then success on the third attempt, which says so in its headers.
          assertThat(EchoServiceGrpc.newBlockingStub(channels.getChannel("retrying", List.of()))
              .echo(request("a")).getText()).isEqualTo("a");
          assertThat(attemptsOf("a")).containsExactly("-", "1", "2");

          // Two tokens, retries only above one: the first failure empties the bucket to one.
          assertThatThrownBy(() -> EchoServiceGrpc.newBlockingStub(
                  channels.getChannel("throttled", List.of())).echo(request("b")))
              .isInstanceOfSatisfying(StatusException.class, e ->
                  assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE));
          assertThat(attemptsOf("b")).containsExactly("-");

          // retry-enabled: false turns the same policy off.
          assertThatThrownBy(() -> EchoServiceGrpc.newBlockingStub(
                  channels.getChannel("no-retry", List.of())).echo(request("c")))
              .isInstanceOf(StatusException.class);
          assertThat(attemptsOf("c")).containsExactly("-");
        });
  }
}
