package dev.grpcspring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.boot.autoconfigure.server.GrpcExceptionHandlingAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.server.GrpcServerAutoConfiguration;
import dev.grpcspring.boot.server.GrpcService;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/** Each {@code grpc.server.keepalive.*} property, as a raw HTTP/2 client sees it on the wire. */
@Timeout(60)
class KeepAlivePropertiesTest {
  private static final String ECHO = "/" + EchoServiceGrpc.getEchoMethod().getFullMethodName();
  private static final long NO_ERROR = 0;
  private static final long ENHANCE_YOUR_CALM = 11;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(GrpcExceptionHandlingAutoConfiguration.class,
          GrpcServerAutoConfiguration.class))
      .withBean(Echo.class)
      .withPropertyValues("grpc.server.port=0");

  /** A service with the default (unimplemented) method: the tests need a server, not answers. */
  @GrpcService
  static class Echo extends EchoServiceGrpc.EchoServiceImplBase {}

  private static int port(ConfigurableApplicationContext context) {
    return Integer.parseInt(context.getEnvironment().getProperty("local.grpc.server.port"));
  }

  @Test
  void keepaliveTimeAndTimeout() {
    runner.withPropertyValues("grpc.server.keepalive.time=100ms",
        "grpc.server.keepalive.timeout=300ms").run(context -> {
          try (RawHttp2Peer reading = new RawHttp2Peer(port(context));
              RawHttp2Peer silent = new RawHttp2Peer(port(context))) {
            silent.settings.get(5, TimeUnit.SECONDS);
            silent.autoRead(false);
            for (int i = 0; i < 3; i++) {
              assertThat(reading.pingsReceived.poll(10, TimeUnit.SECONDS)).isNotNull();
            }
            // The silent one never answered: the server closed it (seen once it reads again).
            Thread.sleep(1000);
            silent.autoRead(true);
            assertThat(silent.awaitClosed(10)).isTrue();
            assertThat(reading.isOpen()).isTrue();
          }
        });
  }

  @Test
  void permitTimeAndWithoutCalls() {
    runner.withPropertyValues("grpc.server.keepalive.permit.time=0s",
        "grpc.server.keepalive.permit.without-calls=true").run(context -> {
          try (RawHttp2Peer peer = new RawHttp2Peer(port(context))) {
            for (int i = 0; i < 10; i++) {
              peer.ping(i);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (peer.pingAcks.get() < 10) {
              assertThat(System.nanoTime()).isLessThan(deadline);
              Thread.sleep(10);
            }
            assertThat(peer.goAways).isEmpty();
          }
        });
    // The defaults (5 min, not without calls) do not allow that.
    runner.run(context -> {
      try (RawHttp2Peer peer = new RawHttp2Peer(port(context))) {
        peer.settings.get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 4; i++) {
          peer.ping(i);
        }
        RawHttp2Peer.GoAway goAway = peer.goAways.poll(10, TimeUnit.SECONDS);
        assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
        assertThat(goAway.debug()).isEqualTo("too_many_pings");
      }
    });
  }

  @Test
  void maxIdleTime() {
    runner.withPropertyValues("grpc.server.keepalive.connection.max-idle-time=200ms")
        .run(context -> {
          try (RawHttp2Peer peer = new RawHttp2Peer(port(context))) {
            RawHttp2Peer.GoAway goAway = peer.goAways.poll(10, TimeUnit.SECONDS);
            assertThat(goAway.errorCode()).isEqualTo(NO_ERROR);
            assertThat(goAway.debug()).isEqualTo("max_idle");
            assertThat(peer.awaitClosed(10)).isTrue();
          }
        });
  }

  @Test
  void maxAgeAndGracePeriod() {
    runner.withPropertyValues("grpc.server.keepalive.connection.max-age=200ms",
        "grpc.server.keepalive.connection.grace-period=300ms").run(context -> {
          try (RawHttp2Peer peer = new RawHttp2Peer(port(context))) {
            peer.openCall(3, ECHO); // never finishes: only the grace period ends it
            RawHttp2Peer.GoAway goAway = peer.goAways.poll(10, TimeUnit.SECONDS);
            assertThat(goAway.errorCode()).isEqualTo(NO_ERROR);
            assertThat(goAway.debug()).isEqualTo("max_age");
            assertThat(peer.awaitClosed(10)).isTrue();
          }
        });
  }

  @Test
  void invalidValuesAreRejectedAtStartUp() {
    runner.withPropertyValues("grpc.server.keepalive.time=0s").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("grpc.server.keepalive.time"));
  }
}
