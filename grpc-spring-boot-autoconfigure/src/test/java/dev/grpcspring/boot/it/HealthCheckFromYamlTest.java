package dev.grpcspring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Channel;
import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.client.GrpcChannelFactory;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * {@code service-config.health-check.service-name} from YAML makes a round_robin channel leave a
 * backend whose grpc-java health service reports NOT_SERVING for that service, and use it again
 * once SERVING: counted on the servers' side.
 */
class HealthCheckFromYamlTest {
  private static final String SERVICE = EchoServiceGrpc.SERVICE_NAME;
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** A grpc-java server with the echo service, counting its calls, and grpc-java's health service. */
  private static final class Backend {
    final HealthStatusManager health = new HealthStatusManager();
    final AtomicInteger calls = new AtomicInteger();
    final Server server;

    Backend() throws IOException {
      health.setStatus(SERVICE, ServingStatus.SERVING);
      io.grpc.MethodDescriptor<EchoRequest, EchoResponse> echo =
          io.grpc.MethodDescriptor.<EchoRequest, EchoResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(EchoServiceGrpc.getEchoMethod().getFullMethodName())
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(EchoRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(EchoResponse.getDefaultInstance()))
              .build();
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
          .addService(io.grpc.ServerServiceDefinition.builder(SERVICE)
              .addMethod(echo, ServerCalls.asyncUnaryCall((req, obs) -> {
                calls.incrementAndGet();
                obs.onNext(EchoResponse.newBuilder().setText(req.getText()).build());
                obs.onCompleted();
              }))
              .build())
          .addService(health.getHealthService())
          .build()
          .start();
    }
  }

  private final List<Backend> backends = new ArrayList<>();

  @BeforeEach
  void startBackends() throws IOException {
    for (int i = 0; i < 3; i++) {
      backends.add(new Backend());
    }
  }

  @AfterEach
  void stopBackends() throws InterruptedException {
    for (Backend b : backends) {
      b.health.enterTerminalState();
      b.server.shutdownNow().awaitTermination();
    }
  }

  private String target() {
    StringBuilder t = new StringBuilder("static:///");
    for (Backend b : backends) {
      t.append(t.length() > "static:///".length() ? "," : "").append("127.0.0.1:")
          .append(b.server.getPort());
    }
    return t.toString();
  }

  private static void echo(Channel channel) {
    assertThat(EchoServiceGrpc.newBlockingStub(channel)
        .echo(EchoRequest.newBuilder().setText("x").build()).getText()).isEqualTo("x");
  }

  /**
   * Calls until {@code backend}'s count changes ({@code used}) or stays put for {@code quiet} calls
   * in a row ({@code !used}); round_robin rotates strictly, so three calls in a row without a
   * backend mean it is out of the rotation. Every call must succeed.
   */
  private static void callUntil(Channel channel, Backend backend, boolean used) {
    long deadline = System.nanoTime() + WAIT_NANOS;
    int quiet = 0;
    while (System.nanoTime() < deadline) {
      int before = backend.calls.get();
      echo(channel);
      boolean hit = backend.calls.get() != before;
      if (used && hit) {
        return;
      }
      quiet = hit ? 0 : quiet + 1;
      if (!used && quiet >= 6) {
        return;
      }
    }
    throw new AssertionError("backend " + (used ? "never used" : "still used") + " within 30 s");
  }

  @Test
  void healthCheckServiceNameFromYamlSkipsANotServingBackendAndResumes() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class))
        .withInitializer(ctx -> {
          try {
            for (PropertySource<?> source : new YamlPropertySourceLoader()
                .load("health-check.yml", new ClassPathResource("health-check.yml"))) {
              ctx.getEnvironment().getPropertySources().addLast(source);
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })
        .withPropertyValues("grpc.client.channel.default.target=" + target())
        .run(ctx -> {
          GrpcChannelFactory channels = ctx.getBean(GrpcChannelFactory.class);
          Channel checked = channels.getChannel("checked", List.of());
          Channel unchecked = channels.getChannel("unchecked", List.of());
          Backend c = backends.get(2);
          for (Backend b : backends) {
            callUntil(checked, b, true);
          }

          c.health.setStatus(SERVICE, ServingStatus.NOT_SERVING);
          callUntil(checked, c, false);
          int cCalls = c.calls.get();
          for (int i = 0; i < 60; i++) {
            echo(checked);
          }
          assertThat(c.calls.get()).as("calls to the NOT_SERVING backend").isEqualTo(cCalls);
          assertThat(backends.get(0).calls.get() + backends.get(1).calls.get()).isGreaterThanOrEqualTo(60);

          // Without health-check, the same policy keeps using it.
          callUntil(unchecked, c, true);

          c.health.setStatus(SERVICE, ServingStatus.SERVING);
          callUntil(checked, c, true);
        });
  }
}
