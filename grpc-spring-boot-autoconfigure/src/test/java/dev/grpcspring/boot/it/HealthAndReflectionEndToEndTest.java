package dev.grpcspring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import dev.grpcspring.boot.server.LocalGrpcServerPort;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ActiveProfiles;

/**
 * Health and reflection served by the Spring Boot application, asked by grpc-java's stubs; the
 * gRPC health follows an Actuator health group.
 */
@SpringBootTest(classes = {EchoApplication.class, HealthAndReflectionEndToEndTest.Switch.class},
    properties = {"management.endpoint.health.group.grpc.include=switch",
        "grpc.server.health.actuator.group=grpc",
        "grpc.server.health.actuator.update-interval=50ms"})
@ActiveProfiles("e2e")
@Timeout(60)
class HealthAndReflectionEndToEndTest {

  /** An Actuator health contributor the test turns down and up. */
  @TestConfiguration(proxyBeanMethods = false)
  static class Switch {
    static volatile Status status = Status.UP;

    @Bean
    HealthIndicator switchHealthIndicator() {
      return () -> Health.status(status).build();
    }
  }

  @LocalGrpcServerPort
  int port;

  @Autowired
  ConfigurableApplicationContext context;

  private ManagedChannel channel;

  @BeforeEach
  void connect() {
    Switch.status = Status.UP;
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    Switch.status = Status.UP;
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Collects a Watch call's statuses. */
  static final class Watcher implements StreamObserver<HealthCheckResponse> {
    final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    @Override
    public void onNext(HealthCheckResponse value) {
      events.add(value.getStatus());
    }

    @Override
    public void onError(Throwable t) {
      events.add(t);
    }

    @Override
    public void onCompleted() {
      events.add("completed");
    }

    Object next() throws InterruptedException {
      Object e = events.poll(5, TimeUnit.SECONDS);
      assertThat(e).as("a Watch response within 5 s").isNotNull();
      return e;
    }
  }

  @Test
  void grpcHealthTurnsNotServingWhenAnActuatorContributorGoesDown() throws Exception {
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS);
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    Watcher watcher = new Watcher();
    Context.CancellableContext watch = Context.current().withCancellation();
    watch.run(() -> HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(),
        watcher));
    try {
      assertThat(watcher.next()).isEqualTo(ServingStatus.SERVING);
      Switch.status = Status.DOWN;
      assertThat(watcher.next()).isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
          .isEqualTo(ServingStatus.NOT_SERVING);
      Switch.status = Status.UP;
      assertThat(watcher.next()).isEqualTo(ServingStatus.SERVING);
    } finally {
      watch.cancel(null);
    }
  }

  @Test
  void reflectionDescribesTheApplicationsServices() throws Exception {
    BlockingQueue<Object> responses = new LinkedBlockingQueue<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse value) {
            responses.add(value);
          }

          @Override
          public void onError(Throwable t) {
            responses.add(t);
          }

          @Override
          public void onCompleted() {
            responses.add("completed");
          }
        });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    ServerReflectionResponse list = (ServerReflectionResponse) responses.poll(5, TimeUnit.SECONDS);
    assertThat(list.getListServicesResponse().getServiceList()).extracting(ServiceResponse::getName)
        .containsExactly("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection", "grpcspring.boot.test.EchoService");
    requests.onNext(ServerReflectionRequest.newBuilder()
        .setFileContainingSymbol("grpcspring.boot.test.EchoService.Chat").build());
    ServerReflectionResponse file = (ServerReflectionResponse) responses.poll(5, TimeUnit.SECONDS);
    assertThat(FileDescriptorProto.parseFrom(
            file.getFileDescriptorResponse().getFileDescriptorProto(0)).getName())
        .isEqualTo("grpcspring/boot/test/echo.proto");
    requests.onCompleted();
    assertThat(responses.poll(5, TimeUnit.SECONDS)).isEqualTo("completed");
  }

  @Test
  void gracefulShutdownTellsWatchersNotServingBeforeDraining() throws Exception {
    ConfigurableApplicationContext own = new SpringApplicationBuilder(EchoApplication.class)
        .profiles("e2e")
        .run("--grpc.server.shutdown.grace-period=10s");
    int ownPort = own.getEnvironment().getRequiredProperty("local.grpc.server.port", Integer.class);
    ManagedChannel ownChannel = NettyChannelBuilder.forAddress("127.0.0.1", ownPort)
        .usePlaintext().build();
    try {
      Watcher watcher = new Watcher();
      Context.CancellableContext watch = Context.current().withCancellation();
      watch.run(() -> HealthGrpc.newStub(ownChannel).watch(
          HealthCheckRequest.getDefaultInstance(), watcher));
      // Actuator's readiness turns UP once the application is ready, and gRPC follows.
      Object first = watcher.next();
      if (first != ServingStatus.SERVING) {
        assertThat(first).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(watcher.next()).isEqualTo(ServingStatus.SERVING);
      }
      long start = System.nanoTime();
      Thread closer = new Thread(own::close, "context-close");
      closer.start();
      assertThat(watcher.next()).isEqualTo(ServingStatus.NOT_SERVING);
      // A prober that heard NOT_SERVING goes away, and the drain need not wait out the grace.
      watch.cancel(null);
      closer.join(10_000);
      assertThat(closer.isAlive()).isFalse();
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(8);
    } finally {
      ownChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      own.close();
    }
  }
}
