package dev.grpcspring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.boot.autoconfigure.channelz.GrpcChannelzAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.observation.GrpcObservationAutoConfiguration;
import dev.grpcspring.boot.channelz.GrpcChannelzMeterBinder;
import dev.grpcspring.boot.client.GrpcChannelFactory;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.observation.GrpcClientObservationContext;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * {@code service-config.method[].hedging} from YAML sends real hedges: on a grpc-java server whose
 * first attempt never answers, the hedge answers and the server sees the first one cancelled; the
 * client observation has an event per attempt and the channelz meters count the hedge.
 */
class HedgingFromYamlTest {
  private static final Metadata.Key<String> PREVIOUS =
      Metadata.Key.of("grpc-previous-rpc-attempts", Metadata.ASCII_STRING_MARSHALLER);

  private Server peer;
  /** The grpc-previous-rpc-attempts of every attempt ("-" when absent), in arrival order. */
  private final List<String> attempts = new CopyOnWriteArrayList<>();
  private final CountDownLatch cancelled = new CountDownLatch(1);

  @BeforeEach
  void startPeer() throws IOException {
    ServerInterceptor record = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
          Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        String p = headers.get(PREVIOUS);
        attempts.add(p == null ? "-" : p);
        if (p == null) {
          // The first attempt stalls: it is never answered, only cancelled by the client.
          call.request(1);
          return new ServerCall.Listener<>() {
            @Override
            public void onCancel() {
              cancelled.countDown();
            }
          };
        }
        return next.startCall(call, headers);
      }
    };
    peer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(io.grpc.ServerServiceDefinition
            .builder(EchoServiceGrpc.SERVICE_NAME)
            .addMethod(echoBytes(), ServerCalls.<byte[], byte[]>asyncUnaryCall((req, obs) -> {
              obs.onNext(req);
              obs.onCompleted();
            }))
            .build(), record))
        .build()
        .start();
  }

  /** Echo on grpc-java's side, answering with the request's own bytes. */
  private static io.grpc.MethodDescriptor<byte[], byte[]> echoBytes() {
    io.grpc.MethodDescriptor.Marshaller<byte[]> bytes = new io.grpc.MethodDescriptor.Marshaller<>() {
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
    return io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(EchoServiceGrpc.getEchoMethod().getFullMethodName())
        .setRequestMarshaller(bytes)
        .setResponseMarshaller(bytes)
        .build();
  }

  @AfterEach
  void stopPeer() throws InterruptedException {
    peer.shutdownNow().awaitTermination();
  }

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class))
        .withInitializer(ctx -> {
          try {
            for (PropertySource<?> source : new YamlPropertySourceLoader()
                .load("hedging.yml", new ClassPathResource("hedging.yml"))) {
              ctx.getEnvironment().getPropertySources().addLast(source);
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })
        .withPropertyValues("grpc.client.channel.default.target=127.0.0.1:" + peer.getPort());
  }

  @Test
  void hedgingPolicyFromYamlSendsAHedgeAndCancelsTheStalledAttempt() {
    List<String> events = new CopyOnWriteArrayList<>();
    List<String> spanAttempts = new CopyOnWriteArrayList<>();
    ObservationRegistry observations = ObservationRegistry.create();
    observations.observationConfig().observationHandler(new ObservationHandler<>() {
      @Override
      public boolean supportsContext(Observation.Context context) {
        return context instanceof GrpcClientObservationContext;
      }

      @Override
      public void onEvent(Observation.Event event, Observation.Context context) {
        events.add(event.getName() + " " + event.getContextualName());
      }

      @Override
      public void onStop(Observation.Context context) {
        spanAttempts.add(context.getHighCardinalityKeyValue("grpc.attempts").getValue());
      }
    });
    runner()
        .withConfiguration(AutoConfigurations.of(GrpcObservationAutoConfiguration.class,
            GrpcChannelzAutoConfiguration.class))
        .withBean(ObservationRegistry.class, () -> observations)
        .run(ctx -> {
          GrpcChannelFactory channels = ctx.getBean(GrpcChannelFactory.class);
          EchoRequest req = EchoRequest.newBuilder().setText("h").build();
          assertThat(EchoServiceGrpc.newBlockingStub(channels.getChannel("hedged", List.of()))
              .withDeadlineAfter(20, TimeUnit.SECONDS).echo(req).getText()).isEqualTo("h");
          // Both attempts are out at once: the server may start them in either order.
          assertThat(attempts).containsExactlyInAnyOrder("-", "1");
          assertThat(cancelled.await(10, TimeUnit.SECONDS))
              .as("the server saw the stalled attempt cancelled").isTrue();

          assertThat(events).containsExactly(
              "grpc.client.attempt attempt 1: FIRST",
              "grpc.client.attempt attempt 2: HEDGE, grpc-previous-rpc-attempts=1",
              "grpc.client.attempt.ended attempt 1: CANCELLED",
              "grpc.client.attempt.ended attempt 2: OK (committed)");
          assertThat(spanAttempts).containsExactly("2");

          SimpleMeterRegistry meters = new SimpleMeterRegistry();
          ctx.getBean(GrpcChannelzMeterBinder.class).bindTo(meters);
          assertThat(meters.find("grpc.channelz.channel.attempts.hedges").functionCounters())
              .extracting(FunctionCounter::count).containsExactly(1.0);
          assertThat(meters.find("grpc.channelz.channel.attempts").functionCounters())
              .extracting(FunctionCounter::count).containsExactly(2.0);
          assertThat(meters.find("grpc.channelz.channel.attempts.retries").functionCounters())
              .extracting(FunctionCounter::count).containsExactly(0.0);
        });
  }

  @Test
  void retryAndHedgingOnOneMethodFailStartup() {
    runner()
        .withPropertyValues(
            "grpc.client.channel.both.service-config.method[0].name[0].service=grpcspring.boot.test.EchoService",
            "grpc.client.channel.both.service-config.method[0].retry.max-attempts=3",
            "grpc.client.channel.both.service-config.method[0].hedging.max-attempts=3")
        .run(ctx -> {
          GrpcChannelFactory channels = ctx.getBean(GrpcChannelFactory.class);
          assertThatThrownBy(() -> channels.getChannel("both", List.of()))
              .isInstanceOf(IllegalStateException.class)
              .hasStackTraceContaining("grpc.client.channel.both.service-config.method[0] has both"
                  + " retryPolicy and hedgingPolicy");
        });
  }
}
