package dev.grpcspring.boot.autoconfigure.actuate;

import dev.grpcspring.boot.actuate.GrpcChannelsHealthContributor;
import dev.grpcspring.boot.actuate.GrpcEndpoint;
import dev.grpcspring.boot.actuate.GrpcServerHealthIndicator;
import dev.grpcspring.boot.autoconfigure.client.DefaultGrpcChannelFactory;
import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.server.GrpcServerAutoConfiguration;
import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.channelz.Channelz;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator support: the {@code grpc} endpoint (servers, services, methods, channels, subchannels
 * and sockets with their states and counters) and the {@code grpcServer} and {@code grpcChannels}
 * health contributors (both turned off by {@code management.health.grpc.enabled=false}).
 */
@AutoConfiguration(after = {GrpcServerAutoConfiguration.class, GrpcClientAutoConfiguration.class})
@ConditionalOnClass(name = "dev.grpcspring.channelz.Channelz")
public final class GrpcActuatorAutoConfiguration {

  // Each condition class below lives in an optional module: the outer class checks that the
  // module is there before the inner one, whose annotations name those conditions, is read.

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition"
      + ".ConditionalOnAvailableEndpoint")
  static final class EndpointConfiguration {
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnAvailableEndpoint(GrpcEndpoint.class)
    static final class Available {
      @Bean
      @ConditionalOnMissingBean
      GrpcEndpoint grpcEndpoint(ObjectProvider<GrpcServerLifecycle> server,
          ObjectProvider<DefaultGrpcChannelFactory> channels) {
        return new GrpcEndpoint(Channelz.getDefault(), server::getIfAvailable,
            channels::getIfAvailable);
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.autoconfigure.contributor"
      + ".ConditionalOnEnabledHealthIndicator")
  static final class HealthConfiguration {
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("grpc")
    static final class Enabled {
      @Bean
      @ConditionalOnBean(GrpcServerLifecycle.class)
      @ConditionalOnMissingBean(name = "grpcServerHealthIndicator")
      GrpcServerHealthIndicator grpcServerHealthIndicator(GrpcServerLifecycle lifecycle) {
        return new GrpcServerHealthIndicator(lifecycle);
      }

      @Bean
      @ConditionalOnBean(DefaultGrpcChannelFactory.class)
      @ConditionalOnMissingBean(name = "grpcChannelsHealthContributor")
      GrpcChannelsHealthContributor grpcChannelsHealthContributor(
          DefaultGrpcChannelFactory factory) {
        return new GrpcChannelsHealthContributor(factory);
      }
    }
  }
}
