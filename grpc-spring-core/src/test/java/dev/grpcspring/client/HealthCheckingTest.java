package dev.grpcspring.client;

import static dev.grpcspring.client.JavaPeer.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.ConnectivityState;
import dev.grpcspring.StatusException;
import dev.grpcspring.channelz.ChannelTrace;
import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.channelz.SubchannelEntity;
import dev.grpcspring.credentials.PerRpcCredentials;
import dev.grpcspring.resolver.ResolverState;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Client-side health checking (gRFC A17) against grpc-java servers and their health service. */
class HealthCheckingTest {
  static final String HEALTH_RR = "{\"loadBalancingConfig\": [{\"round_robin\": {}}],"
      + " \"healthCheckConfig\": {\"serviceName\": \"test.Echo\"}}";
  static final String HEALTH_PF = "{\"loadBalancingConfig\": [{\"pick_first\": {}}],"
      + " \"healthCheckConfig\": {\"serviceName\": \"test.Echo\"}}";

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  /** A grpc-java backend with grpc-java's health service, counting Watch calls. */
  private final class Backend {
    final JavaPeer peer;
    final HealthStatusManager health = new HealthStatusManager();
    final AtomicInteger watches = new AtomicInteger();
    /** The authorization header of each Watch call ("-" when absent). */
    final List<String> watchAuthorization = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Watch calls still to fail with UNAVAILABLE before the real service answers. */
    final AtomicInteger failWatches = new AtomicInteger();

    Backend(String name, boolean withHealth) throws Exception {
      this(name, withHealth, 0);
    }

    Backend(String name, boolean withHealth, int port) throws Exception {
      health.setStatus("test.Echo", ServingStatus.SERVING);
      peer = JavaPeer.start(name, port, withHealth ? p -> healthService() : null);
      toClose.add(peer);
      toClose.add(health::enterTerminalState);
    }

    private ServerServiceDefinition healthService() {
      return ServerInterceptors.intercept(health.getHealthService(), new ServerInterceptor() {
        @Override
        public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
            Metadata headers, ServerCallHandler<ReqT, RespT> next) {
          if (!call.getMethodDescriptor().getBareMethodName().equals("Watch")) {
            return next.startCall(call, headers);
          }
          watches.incrementAndGet();
          String auth = headers.get(AUTHORIZATION);
          watchAuthorization.add(auth == null ? "-" : auth);
          if (failWatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            call.close(Status.UNAVAILABLE.withDescription("health service warming up"), new Metadata());
            return new ServerCall.Listener<>() {};
          }
          return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
              next.startCall(call, headers)) {};
        }
      });
    }

    int port() {
      return peer.port();
    }
  }

  private ClientConn dial(String serviceConfig, boolean disableHealthCheck, Backend... backends) {
    return dial(serviceConfig, b -> {
      if (disableHealthCheck) {
        b.disableHealthCheck();
      }
    }, backends);
  }

  private ClientConn dial(String serviceConfig, java.util.function.Consumer<DialOptions.Builder> more,
      Backend... backends) {
    int[] ports = new int[backends.length];
    for (int i = 0; i < backends.length; i++) {
      ports[i] = backends[i].port();
    }
    ManualResolver r = new ManualResolver(ports);
    DialOptions.Builder b = ClientConnTest.fast().resolver(r).channelz(new Channelz())
        .defaultServiceConfig(serviceConfig);
    more.accept(b);
    ClientConn cc = ClientConn.dial(r.target(), b.build());
    toClose.add(cc);
    return cc;
  }

  private static String call(ClientConn cc) {
    return cc.invoke(JavaPeer.UNARY, sv(""), CallOptions.DEFAULT).getValue();
  }

  /**
   * Upper bound of every wait: generous, since the machine running the tests may be loaded; a
   * wait that succeeds returns as soon as it does.
   */
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** Calls until every one of {@code names} answered one; fails after {@link #WAIT_NANOS}. */
  private static void callUntilAllSeen(ClientConn cc, String... names) {
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (!seen.containsAll(List.of(names)) && System.nanoTime() < deadline) {
      seen.add(call(cc));
    }
    assertThat(seen).containsAll(List.of(names));
  }

  /** Polls {@code condition} (a subchannel's state can only be looked at); bounded by WAIT_NANOS. */
  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  /**
   * Waits until {@code b}'s subchannel reports {@code state}, then until the balancer has heard it:
   * the report is queued in the channel's serializer before channelz shows it, so a task queued
   * after it runs once the balancer has published its new picker.
   */
  private static void awaitBalancerSees(ClientConn cc, Backend b, ConnectivityState state)
      throws InterruptedException {
    await(b.peer.name + "'s subchannel to be " + state, () -> subchannel(cc, b).state() == state);
    CountDownLatch heard = new CountDownLatch(1);
    assertThat(cc.serializer().trySchedule(heard::countDown)).isTrue();
    assertThat(heard.await(5, TimeUnit.SECONDS)).isTrue();
  }

  private static SubchannelEntity subchannel(ClientConn cc, Backend b) {
    return cc.channelz().subchannels().stream()
        .filter(s -> s.addresses().endsWith(":" + b.port()))
        .findFirst().orElseThrow();
  }

  @Test
  void roundRobinSkipsANotServingBackendWithoutFailedCallsAndResumesWhenServing() throws Exception {
    Backend a = new Backend("a", true);
    Backend b = new Backend("b", true);
    Backend c = new Backend("c", true);
    ClientConn cc = dial(HEALTH_RR, false, a, b, c);
    callUntilAllSeen(cc, "a", "b", "c");
    assertThat(List.of(a.watches.get(), b.watches.get(), c.watches.get())).containsOnly(1);

    // Calls keep flowing in the background through both transitions: none may fail.
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger background = new AtomicInteger();
    Thread caller = new Thread(() -> {
      while (!stop.get()) {
        try {
          call(cc);
          background.incrementAndGet();
        } catch (StatusException e) {
          failures.incrementAndGet();
        }
      }
    });
    caller.start();
    try {
      c.health.setStatus("test.Echo", ServingStatus.NOT_SERVING);
      awaitBalancerSees(cc, c, ConnectivityState.TRANSIENT_FAILURE);
      Map<String, Integer> counts = new HashMap<>();
      for (int i = 0; i < 200; i++) {
        counts.merge(call(cc), 1, Integer::sum);
      }
      assertThat(counts).containsOnlyKeys("a", "b");
      assertThat(subchannel(cc, c).trace().events()).anySatisfy(e -> assertThat(e.description())
          .contains("TRANSIENT_FAILURE").contains("NOT_SERVING").contains("test.Echo"));
      assertThat(cc.getState(false)).isEqualTo(ConnectivityState.READY);

      c.health.setStatus("test.Echo", ServingStatus.SERVING);
      callUntilAllSeen(cc, "c");
      assertThat(subchannel(cc, c).state()).isEqualTo(ConnectivityState.READY);
    } finally {
      stop.set(true);
      caller.join(TimeUnit.NANOSECONDS.toMillis(WAIT_NANOS));
    }
    assertThat(caller.isAlive()).isFalse();
    assertThat(background.get()).isPositive();
    assertThat(failures.get()).isZero();
    // One Watch stream per backend followed both changes: health never reconnected anything.
    assertThat(c.watches.get()).isEqualTo(1);
  }

  @Test
  void everyBackendUnhealthyFailsCallsWithTheReason() throws Exception {
    Backend a = new Backend("a", true);
    a.health.clearStatus("test.Echo"); // Watch answers SERVICE_UNKNOWN
    ClientConn cc = dial(HEALTH_RR, false, a);
    assertThatThrownBy(() -> call(cc)).isInstanceOfSatisfying(StatusException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
      assertThat(e.getStatus().getDescription()).contains("SERVICE_UNKNOWN").contains("test.Echo");
    });
    // The connection itself is up all along: turning SERVING is enough.
    a.health.setStatus("test.Echo", ServingStatus.SERVING);
    await("a to be used", () -> {
      try {
        return call(cc).equals("a");
      } catch (StatusException e) {
        return false;
      }
    });
  }

  @Test
  void backendWithoutHealthServiceCountsAsHealthyWithOneWarning() throws Exception {
    List<LogRecord> warnings = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public synchronized void publish(LogRecord r) {
        if (r.getLevel() == Level.WARNING && r.getMessage().contains("UNIMPLEMENTED")) {
          synchronized (warnings) {
            warnings.add(r);
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger logger = Logger.getLogger(AddrConn.class.getName());
    logger.addHandler(handler);
    try {
      Backend a = new Backend("a", true);
      Backend bare = new Backend("bare", false);
      ClientConn cc = dial(HEALTH_RR, false, a, bare);
      callUntilAllSeen(cc, "a", "bare");
      for (int i = 0; i < 20; i++) {
        call(cc);
      }
      assertThat(subchannel(cc, bare).state()).isEqualTo(ConnectivityState.READY);
      assertThat(subchannel(cc, bare).trace().events())
          .anySatisfy(e -> {
            assertThat(e.description()).contains("UNIMPLEMENTED");
            assertThat(e.severity()).isEqualTo(ChannelTrace.Severity.WARNING);
          });
      synchronized (warnings) {
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).getMessage()).contains(":" + bare.port());
      }

      // The same subchannel reconnects to a new server without health service: no second line.
      int port = bare.port();
      bare.peer.close();
      Backend again = new Backend("again", false, port);
      callUntilAllSeen(cc, "a", "again");
      assertThat(subchannel(cc, again).trace().events())
          .filteredOn(e -> e.description().contains("UNIMPLEMENTED")).hasSize(2);
      synchronized (warnings) {
        assertThat(warnings).hasSize(1);
      }
    } finally {
      logger.removeHandler(handler);
    }
  }

  @Test
  void watchStreamThatFailsIsRetriedWithBackoff() throws Exception {
    Backend a = new Backend("a", true);
    a.failWatches.set(2);
    ClientConn cc = dial(HEALTH_RR, false, a);
    // The first two streams fail (TRANSIENT_FAILURE: a call that does not wait for ready fails);
    // the third answers, after two backoffs.
    assertThat(cc.invoke(JavaPeer.UNARY, sv(""), CallOptions.DEFAULT.withWaitForReady()).getValue())
        .isEqualTo("a");
    assertThat(a.watches.get()).isEqualTo(3);
    assertThat(subchannel(cc, a).trace().events()).anySatisfy(e -> assertThat(e.description())
        .contains("Health check stream").contains("UNAVAILABLE").contains("warming up"));
  }

  @Test
  void pickFirstIgnoresHealthCheckConfig() throws Exception {
    Backend a = new Backend("a", true);
    a.health.setStatus("test.Echo", ServingStatus.NOT_SERVING);
    ClientConn cc = dial(HEALTH_PF, false, a);
    assertThat(call(cc)).isEqualTo("a");
    assertThat(a.watches.get()).isZero();
  }

  @Test
  void disableHealthCheckDialOptionTurnsItOff() throws Exception {
    Backend a = new Backend("a", true);
    a.health.setStatus("test.Echo", ServingStatus.NOT_SERVING);
    ClientConn cc = dial(HEALTH_RR, true, a);
    assertThat(call(cc)).isEqualTo("a");
    assertThat(a.watches.get()).isZero();
  }

  @Test
  void serviceConfigUpdateStartsHealthCheckingOnConnectedBackends() throws Exception {
    Backend a = new Backend("a", true);
    Backend b = new Backend("b", true);
    b.health.setStatus("test.Echo", ServingStatus.NOT_SERVING);
    ManualResolver r = new ManualResolver(a.port(), b.port());
    r.update(new ResolverState(ManualResolver.addresses(a.port(), b.port()),
        LoadBalancingTest.ROUND_ROBIN, null));
    ClientConn cc = ClientConn.dial(r.target(),
        ClientConnTest.fast().resolver(r).channelz(new Channelz()).build());
    toClose.add(cc);
    callUntilAllSeen(cc, "a", "b");
    assertThat(b.watches.get()).isZero();

    r.update(new ResolverState(ManualResolver.addresses(a.port(), b.port()), HEALTH_RR, null));
    awaitBalancerSees(cc, b, ConnectivityState.TRANSIENT_FAILURE);
    for (int i = 0; i < 50; i++) {
      assertThat(call(cc)).isEqualTo("a");
    }
  }

  @Test
  void watchCarriesTheChannelsPerRpcCredentials() throws Exception {
    Backend a = new Backend("a", true);
    PerRpcCredentials token = new PerRpcCredentials() {
      @Override
      public CompletionStage<dev.grpcspring.Metadata> getRequestMetadata(RequestInfo info) {
        dev.grpcspring.Metadata md = new dev.grpcspring.Metadata();
        md.putAscii("authorization", "Bearer for " + info.fullMethodName());
        return CompletableFuture.completedFuture(md);
      }

      @Override
      public boolean requireTransportSecurity() {
        return false;
      }
    };
    ClientConn cc = dial(HEALTH_RR, b -> b.perRpcCredentials(token), a);
    assertThat(call(cc)).isEqualTo("a");
    assertThat(a.watchAuthorization).containsExactly("Bearer for grpc.health.v1.Health/Watch");
  }
}
