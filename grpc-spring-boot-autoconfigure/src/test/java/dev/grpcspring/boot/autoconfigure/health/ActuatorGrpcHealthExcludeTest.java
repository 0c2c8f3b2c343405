package dev.grpcspring.boot.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.boot.autoconfigure.server.GrpcServerAutoConfiguration;
import dev.grpcspring.health.HealthStatusManager;
import dev.grpcspring.health.v1.HealthCheckResponse.ServingStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * grpc.server.health.actuator.exclude: a downstream channel going DOWN must not, by default, make
 * this server NOT_SERVING, while everything else in Actuator's health still counts.
 */
class ActuatorGrpcHealthExcludeTest {

  private static HealthIndicator fixed(Status status) {
    return () -> Health.status(status).build();
  }

  /**
   * Actuator with a DOWN {@code grpcChannels} contributor, shaped like the real one (a composite
   * with one component per channel, under the same bean name), and an UP {@code other}.
   */
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(GrpcServerAutoConfiguration.class,
          GrpcHealthAutoConfiguration.class, EndpointAutoConfiguration.class,
          HealthContributorRegistryAutoConfiguration.class,
          HealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
      // Health alone does not start the server: these tests ask for it.
      .withPropertyValues("grpc.server.port=0", "grpc.server.enabled=true")
      .withBean("grpcChannelsHealthContributor", CompositeHealthContributor.class,
          () -> CompositeHealthContributor.fromMap(Map.of("downstream", fixed(Status.DOWN))))
      .withBean("other", HealthIndicator.class, () -> fixed(Status.UP));

  private static ServingStatus overall(AssertableApplicationContext context) {
    assertThat(context).hasNotFailed().hasSingleBean(ActuatorGrpcHealthUpdater.class);
    return context.getBean(HealthStatusManager.class).getStatus("");
  }

  private static Status actuatorStatus(AssertableApplicationContext context) {
    return context.getBean(HealthEndpoint.class).health().getStatus();
  }

  @Test
  void aDownChannelDoesNotMakeTheServerNotServingByDefault() {
    runner.run(context -> {
      assertThat(actuatorStatus(context)).isEqualTo(Status.DOWN);
      assertThat(context.getBean(GrpcHealthProperties.class).getActuator().getExclude())
          .containsExactly("grpcChannels");
      assertThat(overall(context)).isEqualTo(ServingStatus.SERVING);
    });
  }

  @Test
  void anEmptyExcludeFollowsActuatorsOverallStatusExactly() {
    runner.withPropertyValues("grpc.server.health.actuator.exclude=").run(context -> {
      assertThat(context.getBean(GrpcHealthProperties.class).getActuator().getExclude()).isEmpty();
      assertThat(overall(context)).isEqualTo(ServingStatus.NOT_SERVING);
    });
  }

  @Test
  void aDownOrOutOfServiceContributorThatIsNotExcludedStillCounts() {
    runner.withBean("database", HealthIndicator.class, () -> fixed(Status.DOWN))
        .run(context -> assertThat(overall(context)).isEqualTo(ServingStatus.NOT_SERVING));
    runner.withBean("database", HealthIndicator.class, () -> fixed(Status.OUT_OF_SERVICE))
        .run(context -> assertThat(overall(context)).isEqualTo(ServingStatus.NOT_SERVING));
  }

  @Test
  void anExcludeListOfYourOwnReplacesTheDefault() {
    runner.withPropertyValues("grpc.server.health.actuator.exclude=other")
        .run(context -> assertThat(overall(context)).isEqualTo(ServingStatus.NOT_SERVING));
  }

  @Test
  void excludingEveryContributorIsUpAsActuatorIsWithoutContributors() {
    runner.withPropertyValues("management.health.ping.enabled=false",
            "grpc.server.health.actuator.exclude=grpcChannels,other")
        .run(context -> assertThat(overall(context)).isEqualTo(ServingStatus.SERVING));
  }

  /** With UP and UNKNOWN left, Actuator's default order says UP, a custom one can say UNKNOWN. */
  @Test
  void theRemainingStatusesAreAggregatedInActuatorsConfiguredOrder() {
    ApplicationContextRunner upAndUnknown =
        runner.withBean("starting", HealthIndicator.class, () -> fixed(Status.UNKNOWN));
    upAndUnknown.run(context -> assertThat(overall(context)).isEqualTo(ServingStatus.SERVING));
    upAndUnknown.withPropertyValues("management.endpoint.health.status.order=down,unknown,up")
        .run(context -> assertThat(overall(context)).isEqualTo(ServingStatus.UNKNOWN));
  }

  @Test
  void aGroupDecidesAloneAndExcludeDoesNotApplyToIt() {
    runner.withPropertyValues("management.endpoint.health.group.grpc.include=grpcChannels,other",
            "grpc.server.health.actuator.group=grpc")
        .run(context -> assertThat(overall(context)).isEqualTo(ServingStatus.NOT_SERVING));
  }
}
