package dev.grpcspring.boot.autoconfigure.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.boot.actuate.GrpcChannelsHealthContributor;
import dev.grpcspring.boot.actuate.GrpcEndpoint;
import dev.grpcspring.boot.actuate.GrpcServerHealthIndicator;
import dev.grpcspring.boot.autoconfigure.actuate.GrpcActuatorAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.channelz.GrpcChannelzAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.observation.GrpcObservationAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.server.GrpcExceptionHandlingAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.server.GrpcServerAutoConfiguration;
import dev.grpcspring.boot.channelz.GrpcChannelzMeterBinder;
import dev.grpcspring.boot.observation.ObservationGrpcClientInterceptor;
import dev.grpcspring.boot.observation.ObservationGrpcServerInterceptor;
import dev.grpcspring.boot.server.GrpcServiceDiscoverer;
import dev.grpcspring.ConnectivityState;
import dev.grpcspring.channelz.service.ChannelzService;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** When each observability part is on, and when it stays off. */
class ObservabilityAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withPropertyValues("grpc.server.port=0")
      .withConfiguration(AutoConfigurations.of(GrpcExceptionHandlingAutoConfiguration.class,
          GrpcServerAutoConfiguration.class, GrpcClientAutoConfiguration.class,
          GrpcObservationAutoConfiguration.class, GrpcChannelzAutoConfiguration.class,
          GrpcActuatorAutoConfiguration.class));

  @Test
  void channelzServiceOnlyWhenEnabled() {
    runner.run(ctx -> assertThat(ctx).doesNotHaveBean(ChannelzService.class)
        .hasSingleBean(GrpcChannelzMeterBinder.class));
    // Channelz alone does not start the server, and without a server it is not defined.
    runner.withPropertyValues("grpc.server.channelz.enabled=true").run(ctx -> assertThat(ctx)
        .doesNotHaveBean(ChannelzService.class).doesNotHaveBean(GrpcServiceDiscoverer.class));
    runner.withPropertyValues("grpc.server.channelz.enabled=true", "grpc.server.enabled=true")
        .run(ctx -> {
      assertThat(ctx).hasSingleBean(ChannelzService.class);
      assertThat(ctx.getBean(GrpcServiceDiscoverer.class).findServices())
          .anySatisfy(d -> assertThat(d.getServiceDescriptor().getName())
              .isEqualTo("grpc.channelz.v1.Channelz"));
    });
    runner.withPropertyValues("grpc.channelz.meters.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(GrpcChannelzMeterBinder.class));
  }

  @Test
  void observationInterceptorsOnlyWithAnObservationRegistry() {
    runner.run(ctx -> assertThat(ctx).doesNotHaveBean(ObservationGrpcServerInterceptor.class)
        .doesNotHaveBean(ObservationGrpcClientInterceptor.class));
    runner.withBean(ObservationRegistry.class, ObservationRegistry::create).run(ctx -> assertThat(ctx)
        .hasSingleBean(ObservationGrpcServerInterceptor.class)
        .hasSingleBean(ObservationGrpcClientInterceptor.class));
    runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
        .withPropertyValues("grpc.server.observation.enabled=false",
            "grpc.client.observation.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(ObservationGrpcServerInterceptor.class)
            .doesNotHaveBean(ObservationGrpcClientInterceptor.class));
  }

  @Test
  void endpointAndHealthWithActuatorAndBackOffWithoutIt() {
    ApplicationContextRunner runner = this.runner.withPropertyValues("grpc.server.enabled=true");
    runner.run(ctx -> assertThat(ctx).doesNotHaveBean(GrpcEndpoint.class) // not exposed
        .hasBean("grpcServerHealthIndicator").hasBean("grpcChannelsHealthContributor")
        .hasSingleBean(GrpcServerHealthIndicator.class));
    runner.withPropertyValues("management.endpoints.web.exposure.include=grpc")
        .run(ctx -> assertThat(ctx).hasSingleBean(GrpcEndpoint.class));
    runner.withPropertyValues("management.health.grpc.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(GrpcServerHealthIndicator.class)
            .doesNotHaveBean(GrpcChannelsHealthContributor.class));
    runner.withPropertyValues("management.endpoints.web.exposure.include=grpc")
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
            "org.springframework.boot.health", "io.micrometer"))
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(GrpcEndpoint.class)
            .doesNotHaveBean(GrpcServerHealthIndicator.class)
            .doesNotHaveBean(GrpcChannelzMeterBinder.class));
  }

  @Test
  void channelStatesMapToHealth() {
    assertThat(GrpcChannelsHealthContributor.status(ConnectivityState.READY)).isEqualTo(Status.UP);
    assertThat(GrpcChannelsHealthContributor.status(ConnectivityState.IDLE)).isEqualTo(Status.UP);
    assertThat(GrpcChannelsHealthContributor.status(ConnectivityState.CONNECTING))
        .isEqualTo(Status.UNKNOWN);
    assertThat(GrpcChannelsHealthContributor.status(ConnectivityState.TRANSIENT_FAILURE))
        .isEqualTo(Status.DOWN);
    assertThat(GrpcChannelsHealthContributor.status(ConnectivityState.SHUTDOWN))
        .isEqualTo(Status.OUT_OF_SERVICE);
  }
}
