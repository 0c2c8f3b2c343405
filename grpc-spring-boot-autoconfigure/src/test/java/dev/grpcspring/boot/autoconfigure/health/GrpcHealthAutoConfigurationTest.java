package dev.grpcspring.boot.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.boot.autoconfigure.reflection.GrpcReflectionAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.server.GrpcServerAutoConfiguration;
import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.health.HealthStatusManager;
import dev.grpcspring.health.v1.HealthCheckResponse.ServingStatus;
import dev.grpcspring.reflection.ProtoReflectionService;
import dev.grpcspring.server.ServerServiceDefinition;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The health and reflection auto-configurations: properties, conditions, Actuator. */
class GrpcHealthAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(GrpcServerAutoConfiguration.class,
          GrpcHealthAutoConfiguration.class, GrpcReflectionAutoConfiguration.class))
      // Health and reflection alone do not start the server: these tests ask for it.
      .withPropertyValues("grpc.server.port=0", "grpc.server.enabled=true");

  private final ApplicationContextRunner withActuator = runner.withConfiguration(
      AutoConfigurations.of(EndpointAutoConfiguration.class,
          HealthContributorRegistryAutoConfiguration.class,
          HealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class));

  private static List<String> served(AssertableApplicationContext context) {
    return context.getBean(GrpcServerLifecycle.class).getServer().getServices().stream()
        .map(ServerServiceDefinition::getServiceDescriptor).map(d -> d.getName()).toList();
  }

  @Test
  void servesHealthAndReflectionByDefault() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(HealthStatusManager.class)
          .hasSingleBean(ProtoReflectionService.class)
          .doesNotHaveBean(ActuatorGrpcHealthUpdater.class);
      assertThat(served(context)).containsExactlyInAnyOrder("grpc.health.v1.Health",
          "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");
      assertThat(context.getBean(GrpcHealthProperties.class).getActuator().getUpdateInterval())
          .hasSeconds(5);
    });
  }

  @Test
  void propertiesTurnEachOff() {
    runner.withPropertyValues("grpc.server.health.enabled=false").run(context -> {
      assertThat(context).doesNotHaveBean(HealthStatusManager.class)
          .hasSingleBean(ProtoReflectionService.class);
      assertThat(served(context)).doesNotContain("grpc.health.v1.Health");
    });
    runner.withPropertyValues("grpc.server.reflection.enabled=false").run(context -> {
      assertThat(context).hasSingleBean(HealthStatusManager.class)
          .doesNotHaveBean(ProtoReflectionService.class);
      assertThat(served(context)).containsExactly("grpc.health.v1.Health");
    });
    runner.withPropertyValues("grpc.server.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean(HealthStatusManager.class)
            .doesNotHaveBean(ProtoReflectionService.class));
  }

  @Test
  void usesTheApplicationsOwnManagerAndEndsItOnShutdown() {
    HealthStatusManager own = new HealthStatusManager();
    AtomicReference<GrpcServerLifecycle> lifecycle = new AtomicReference<>();
    runner.withBean(HealthStatusManager.class, () -> own).run(context -> {
      assertThat(context.getBean(HealthStatusManager.class)).isSameAs(own);
      lifecycle.set(context.getBean(GrpcServerLifecycle.class));
      assertThat(own.isTerminal()).isFalse();
    });
    assertThat(own.isTerminal()).isTrue();
    assertThat(own.getStatus("")).isEqualTo(ServingStatus.NOT_SERVING);
  }

  /** A health indicator the test turns up and down. */
  static final class Switch implements HealthIndicator {
    volatile Status status = Status.UP;

    @Override
    public Health health() {
      return Health.status(status).build();
    }
  }

  @Test
  void overallStatusFollowsActuatorHealth() {
    Switch sw = new Switch();
    withActuator.withBean("switch", HealthIndicator.class, () -> sw).run(context -> {
      assertThat(context).hasSingleBean(HealthEndpoint.class)
          .hasSingleBean(ActuatorGrpcHealthUpdater.class);
      HealthStatusManager manager = context.getBean(HealthStatusManager.class);
      ActuatorGrpcHealthUpdater updater = context.getBean(ActuatorGrpcHealthUpdater.class);
      assertThat(updater.isRunning()).isTrue();
      assertThat(manager.getStatus("")).isEqualTo(ServingStatus.SERVING);
      sw.status = Status.DOWN;
      updater.update();
      assertThat(manager.getStatus("")).isEqualTo(ServingStatus.NOT_SERVING);
      sw.status = Status.OUT_OF_SERVICE;
      updater.update();
      assertThat(manager.getStatus("")).isEqualTo(ServingStatus.NOT_SERVING);
      sw.status = Status.UP;
      updater.update();
      assertThat(manager.getStatus("")).isEqualTo(ServingStatus.SERVING);
    });
  }

  @Test
  void followsTheConfiguredGroupOnly() {
    Switch inGroup = new Switch();
    Switch outside = new Switch();
    withActuator.withBean("inGroup", HealthIndicator.class, () -> inGroup)
        .withBean("outside", HealthIndicator.class, () -> outside)
        .withPropertyValues("management.endpoint.health.group.grpc.include=inGroup",
            "grpc.server.health.actuator.group=grpc")
        .run(context -> {
          HealthStatusManager manager = context.getBean(HealthStatusManager.class);
          ActuatorGrpcHealthUpdater updater = context.getBean(ActuatorGrpcHealthUpdater.class);
          outside.status = Status.DOWN;
          updater.update();
          assertThat(manager.getStatus("")).isEqualTo(ServingStatus.SERVING);
          inGroup.status = Status.DOWN;
          updater.update();
          assertThat(manager.getStatus("")).isEqualTo(ServingStatus.NOT_SERVING);
        });
  }

  @Test
  void anUnknownGroupFailsTheStartWithTheKnownOnes() {
    withActuator.withPropertyValues("management.endpoint.health.group.live.include=ping",
            "grpc.server.health.actuator.group=nope")
        .run(context -> assertThat(context).hasFailed().getFailure()
            .rootCause().hasMessageContaining("'nope'").hasMessageContaining("[live]"));
  }

  @Test
  void actuatorBridgeCanBeTurnedOffOrBeAbsent() {
    withActuator.withPropertyValues("grpc.server.health.actuator.enabled=false").run(context ->
        assertThat(context).hasSingleBean(HealthEndpoint.class)
            .doesNotHaveBean(ActuatorGrpcHealthUpdater.class));
    runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health",
            "org.springframework.boot.actuate"))
        .run(context -> assertThat(context).hasSingleBean(HealthStatusManager.class)
            .doesNotHaveBean(ActuatorGrpcHealthUpdater.class));
  }

  @Test
  void statusMapping() {
    assertThat(ActuatorGrpcHealthUpdater.servingStatus(Status.UP)).isEqualTo(ServingStatus.SERVING);
    assertThat(ActuatorGrpcHealthUpdater.servingStatus(Status.UNKNOWN))
        .isEqualTo(ServingStatus.UNKNOWN);
    assertThat(ActuatorGrpcHealthUpdater.servingStatus(Status.DOWN))
        .isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(ActuatorGrpcHealthUpdater.servingStatus(new Status("DEGRADED")))
        .isEqualTo(ServingStatus.NOT_SERVING);
  }
}
