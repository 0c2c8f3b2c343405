package dev.grpcspring.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.health.v1.HealthCheckResponse.ServingStatus;
import dev.grpcspring.server.Server;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import dev.grpcspring.health.v1.HealthListRequest;
import dev.grpcspring.health.v1.HealthListResponse;
import io.grpc.CallOptions;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Our health service, asked by grpc-java's health stubs over loopback. */
@Timeout(30)
class HealthServiceTest {
  private final HealthStatusManager manager = new HealthStatusManager();
  private Server server;
  private ManagedChannel channel;
  private HealthGrpc.HealthBlockingStub blocking;

  @BeforeEach
  void start() throws Exception {
    server = Server.builder()
        .address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(manager.getHealthService())
        .addShutdownHook(manager::enterTerminalState)
        .build()
        .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    blocking = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  private static HealthCheckRequest req(String service) {
    return HealthCheckRequest.newBuilder().setService(service).build();
  }

  @Test
  void checkAnswersOverallAndPerServiceStatus() {
    assertThat(blocking.check(req("")).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    manager.setStatus("pkg.Svc", ServingStatus.NOT_SERVING);
    assertThat(blocking.check(req("pkg.Svc")).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
    manager.setStatus("pkg.Svc", ServingStatus.SERVING);
    assertThat(blocking.check(req("pkg.Svc")).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void checkOfUnknownServiceIsNotFound() {
    manager.setStatus("pkg.Svc", ServingStatus.SERVING);
    manager.clearStatus("pkg.Svc");
    assertThatThrownBy(() -> blocking.check(req("pkg.Svc")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).contains("pkg.Svc");
        });
    // Matching is exact.
    assertThatThrownBy(() -> blocking.check(req("PKG.SVC")))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  /** grpc-java 1.79's stubs predate List (A90), so the call is described here, with our messages. */
  private static final MethodDescriptor<HealthListRequest, HealthListResponse> LIST =
      MethodDescriptor.<HealthListRequest, HealthListResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("grpc.health.v1.Health/List")
          .setRequestMarshaller(ProtoUtils.marshaller(HealthListRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(HealthListResponse.getDefaultInstance()))
          .build();

  @Test
  void listAnswersEveryStatus() {
    manager.setStatus("a.A", ServingStatus.NOT_SERVING);
    manager.setStatus("b.B", ServingStatus.SERVING);
    HealthListResponse list = ClientCalls.blockingUnaryCall(channel, LIST,
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
        HealthListRequest.getDefaultInstance());
    assertThat(list.getStatusesMap()).hasSize(3);
    assertThat(list.getStatusesMap().get("").getStatus()).isEqualTo(ServingStatus.SERVING);
    assertThat(list.getStatusesMap().get("a.A").getStatus()).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(list.getStatusesMap().get("b.B").getStatus()).isEqualTo(ServingStatus.SERVING);
  }

  /** Collects a Watch call's responses and its end. */
  private static final class Watcher implements StreamObserver<HealthCheckResponse> {
    final BlockingQueue<HealthCheckResponse.ServingStatus> statuses = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> ended = new LinkedBlockingQueue<>();

    @Override
    public void onNext(HealthCheckResponse value) {
      statuses.add(value.getStatus());
    }

    @Override
    public void onError(Throwable t) {
      ended.add(t);
    }

    @Override
    public void onCompleted() {
      ended.add(new AssertionError("Watch completed; it should stay open"));
    }

    HealthCheckResponse.ServingStatus next() throws InterruptedException {
      HealthCheckResponse.ServingStatus s = statuses.poll(5, TimeUnit.SECONDS);
      assertThat(s).as("a Watch response within 5 s").isNotNull();
      return s;
    }
  }

  @Test
  void watchSendsCurrentStatusThenEveryChangeAndStaysOpenForUnknownService() throws Exception {
    Watcher watcher = new Watcher();
    Context.CancellableContext ctx = Context.current().withCancellation();
    ctx.run(() -> HealthGrpc.newStub(channel).watch(req("pkg.Later"), watcher));
    assertThat(watcher.next()).isEqualTo(HealthCheckResponse.ServingStatus.SERVICE_UNKNOWN);
    awaitWatchers("pkg.Later", 1);

    manager.setStatus("pkg.Later", ServingStatus.SERVING);
    assertThat(watcher.next()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    // The same status again is no change.
    manager.setStatus("pkg.Later", ServingStatus.SERVING);
    manager.setStatus("pkg.Later", ServingStatus.NOT_SERVING);
    assertThat(watcher.next()).isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
    manager.clearStatus("pkg.Later");
    assertThat(watcher.next()).isEqualTo(HealthCheckResponse.ServingStatus.SERVICE_UNKNOWN);
    assertThat(watcher.statuses.poll(200, TimeUnit.MILLISECONDS)).isNull();
    assertThat(watcher.ended).isEmpty();

    // Cancelling the call removes the watcher on the server.
    ctx.cancel(null);
    assertThat(Status.fromThrowable(watcher.ended.poll(5, TimeUnit.SECONDS)).getCode())
        .isEqualTo(Status.Code.CANCELLED);
    awaitWatchers("pkg.Later", 0);
  }

  @Test
  void shutdownTurnsEveryStatusNotServingBeforeDrainingAndIgnoresLaterChanges() throws Exception {
    manager.setStatus("pkg.Svc", ServingStatus.SERVING);
    Watcher overall = new Watcher();
    HealthGrpc.newStub(channel).watch(req(""), overall);
    assertThat(overall.next()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    awaitWatchers("", 1);

    server.shutdown();
    // The watch is still open while the server drains, and hears NOT_SERVING.
    assertThat(overall.next()).isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
    assertThat(manager.isTerminal()).isTrue();
    assertThat(manager.getStatus("pkg.Svc")).isEqualTo(ServingStatus.NOT_SERVING);
    manager.setStatus("", ServingStatus.SERVING);
    manager.clearStatus("pkg.Svc");
    assertThat(manager.getStatus("")).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(manager.getStatus("pkg.Svc")).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(overall.statuses.poll(200, TimeUnit.MILLISECONDS)).isNull();
    // The watch never ends by itself, so the server terminates once it is cancelled.
    assertThat(server.stop(Duration.ofMillis(200))).isTrue();
  }

  @Test
  void refusesStatusesThatAreOnlyForWatch() {
    assertThatThrownBy(() -> manager.setStatus("x", ServingStatus.SERVICE_UNKNOWN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clearStatus");
  }

  private void awaitWatchers(String service, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (manager.watcherCount(service) != count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(manager.watcherCount(service)).isEqualTo(count);
  }
}
