package dev.grpcspring.boot.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.boot.actuate.GrpcEndpoint;
import dev.grpcspring.boot.advice.GrpcExceptionInterceptor;
import dev.grpcspring.boot.actuate.GrpcServerHealthIndicator;
import dev.grpcspring.boot.autoconfigure.actuate.GrpcActuatorAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.channelz.GrpcChannelzAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.health.GrpcHealthAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.reflection.GrpcReflectionAutoConfiguration;
import dev.grpcspring.boot.server.GrpcServerGracefulShutdownLifecycle;
import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.boot.server.GrpcService;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.channelz.service.ChannelzService;
import dev.grpcspring.health.HealthStatusManager;
import dev.grpcspring.reflection.ProtoReflectionService;
import dev.grpcspring.stub.StreamObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * When the server starts: with services of the application's own, or when
 * {@code grpc.server.enabled=true}; never when it is false. What depends on the server is absent
 * with it.
 */
@ExtendWith(OutputCaptureExtension.class)
class GrpcServerStartRuleTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(GrpcExceptionHandlingAutoConfiguration.class,
          GrpcServerAutoConfiguration.class, GrpcClientAutoConfiguration.class,
          GrpcHealthAutoConfiguration.class, GrpcReflectionAutoConfiguration.class,
          GrpcChannelzAutoConfiguration.class, GrpcActuatorAutoConfiguration.class,
          EndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class))
      .withPropertyValues("grpc.server.port=0", "grpc.server.channelz.enabled=true",
          "management.endpoints.web.exposure.include=grpc",
          "grpc.client.channel.peer.target=localhost:1");

  static class Echo extends EchoServiceGrpc.EchoServiceImplBase {
    @Override
    public void echo(EchoRequest request, StreamObserver<EchoResponse> responseObserver) {
      responseObserver.onNext(EchoResponse.newBuilder().setText(request.getText()).build());
      responseObserver.onCompleted();
    }
  }

  @GrpcService
  static class AnnotatedEcho extends Echo {}

  @Configuration(proxyBeanMethods = false)
  static class BeanMethodService {
    @Bean
    @GrpcService
    Echo echo() {
      return new Echo();
    }
  }

  /** Channelz declared by the application: still one of the starter's services. */
  @Configuration(proxyBeanMethods = false)
  static class OwnChannelz {
    @Bean
    @GrpcService
    ChannelzService ownChannelz() {
      return new ChannelzService(Channelz.getDefault());
    }
  }

  @Test
  void channelzDeclaredByTheApplicationDoesNotStartTheServer() {
    runner.withUserConfiguration(OwnChannelz.class).run(ctx ->
        assertThat(ctx).hasNotFailed().doesNotHaveBean(GrpcServerLifecycle.class));
  }

  @Test
  void aClientOnlyApplicationStartsNoServer(CapturedOutput output) {
    runner.run(ctx -> {
      assertThat(ctx).hasNotFailed()
          .doesNotHaveBean(GrpcServerLifecycle.class)
          .doesNotHaveBean(GrpcServerGracefulShutdownLifecycle.class)
          .doesNotHaveBean(GrpcExceptionInterceptor.class)
          .doesNotHaveBean(HealthStatusManager.class)
          .doesNotHaveBean(ProtoReflectionService.class)
          .doesNotHaveBean(ChannelzService.class)
          .doesNotHaveBean(GrpcServerHealthIndicator.class)
          .hasBean("grpcChannelsHealthContributor")
          .hasSingleBean(GrpcServerNotStartedReporter.class);
      assertThat(ctx.getEnvironment().containsProperty(GrpcServerLifecycle.LOCAL_PORT_PROPERTY))
          .isFalse();
      // The endpoint still answers, listing no server of ours.
      GrpcEndpoint.GrpcDescriptor grpc = ctx.getBean(GrpcEndpoint.class).grpc();
      assertThat(grpc.servers()).noneMatch(s -> s.services() != null);
    });
    assertThat(output).contains("grpc-spring server not started: no @GrpcService beans"
        + " (set grpc.server.enabled=true to start it anyway)");
  }

  @Test
  void anAnnotatedServiceClassStartsTheServer(CapturedOutput output) {
    runner.withBean(AnnotatedEcho.class).run(ctx -> {
      assertThat(ctx).hasNotFailed().doesNotHaveBean(GrpcServerNotStartedReporter.class)
          .hasSingleBean(HealthStatusManager.class).hasSingleBean(ChannelzService.class)
          .hasSingleBean(GrpcServerHealthIndicator.class)
          .hasSingleBean(GrpcExceptionInterceptor.class)
          .hasSingleBean(GrpcServerGracefulShutdownLifecycle.class);
      assertThat(ctx.getBean(GrpcServerLifecycle.class).isRunning()).isTrue();
      assertThat(ctx.getEnvironment().getProperty(GrpcServerLifecycle.LOCAL_PORT_PROPERTY,
          Integer.class)).isPositive();
    });
    // Channelz is served too, but only the application's own service counts.
    assertThat(output).contains("started because the application declares 1 gRPC service"
        + " (@GrpcService beans)");
    assertThat(output).doesNotContain("not started");
    // The context closed after the run: the stop is logged as the start was.
    assertThat(output).containsPattern("grpc-spring server on \\[.+\\] stopped");
  }

  @Test
  void aGrpcServiceBeanMethodStartsTheServer() {
    runner.withUserConfiguration(BeanMethodService.class).run(ctx ->
        assertThat(ctx.getBean(GrpcServerLifecycle.class).isRunning()).isTrue());
  }

  @Test
  void thePropertyStartsTheServerWithoutServices(CapturedOutput output) {
    runner.withPropertyValues("grpc.server.enabled=true").run(ctx -> {
      assertThat(ctx).hasSingleBean(HealthStatusManager.class)
          .doesNotHaveBean(GrpcServerNotStartedReporter.class);
      assertThat(ctx.getBean(GrpcServerLifecycle.class).getServer().getServices())
          .extracting(d -> d.getServiceDescriptor().getName())
          .contains("grpc.health.v1.Health", "grpc.channelz.v1.Channelz")
          .doesNotContain(EchoServiceGrpc.SERVICE_NAME);
    });
    assertThat(output).contains("started because grpc.server.enabled=true");
  }

  @Test
  void thePropertyFalseWinsOverServices(CapturedOutput output) {
    runner.withBean(AnnotatedEcho.class).withPropertyValues("grpc.server.enabled=false")
        .run(ctx -> assertThat(ctx).hasNotFailed()
            .doesNotHaveBean(GrpcServerLifecycle.class)
            .doesNotHaveBean(HealthStatusManager.class)
            .hasSingleBean(AnnotatedEcho.class));
    assertThat(output).contains("grpc-spring server not started: grpc.server.enabled=false");
  }

  /** A library's auto-configuration that contributes a service but is ordered too late. */
  @AutoConfiguration(after = GrpcServerAutoConfiguration.class)
  static class LateServiceAutoConfiguration {
    @Bean
    @GrpcService
    Echo lateEcho() {
      return new Echo();
    }
  }

  @Test
  void aServiceRegisteredAfterTheDecisionIsReportedNotSilentlyDropped(CapturedOutput output) {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GrpcServerAutoConfiguration.class,
            LateServiceAutoConfiguration.class))
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(GrpcServerLifecycle.class)
            .hasBean("lateEcho"));
    assertThat(output).contains("grpc-spring server not started, but @GrpcService beans"
        + " [lateEcho] were registered after GrpcServerAutoConfiguration decided there were none");
  }

  @Test
  void ruleCountsOnlyTheApplicationsServices() {
    // Only the bean definitions matter here, no server runs (both beans serve the same service).
    new ApplicationContextRunner().withBean("annotatedEcho", AnnotatedEcho.class)
        .withUserConfiguration(BeanMethodService.class, OwnChannelz.class)
        .run(ctx -> {
          GrpcServerStartRule rule = GrpcServerStartRule.evaluate(ctx.getBeanFactory(),
              ctx.getEnvironment());
          assertThat(rule.start()).isTrue();
          assertThat(rule.serviceBeans()).containsExactlyInAnyOrder("echo", "annotatedEcho");
        });
  }
}
