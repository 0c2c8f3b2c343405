package dev.grpcspring.boot.autoconfigure.discovery;

import dev.grpcspring.boot.client.GrpcChannelCustomizer;
import dev.grpcspring.boot.discovery.DiscoveryClientResolverBuilder;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;

/**
 * {@code discovery:///<serviceId>} on every channel made from {@code grpc.client.channel.*}, when
 * Spring Cloud commons is on the classpath and a {@link DiscoveryClient} bean exists (Spring
 * Cloud's composite one, over Eureka, Consul, Kubernetes or the simple one). The scheme is added per
 * channel, never as a default scheme, so scheme-less targets stay as they are. Without it, such a
 * target fails at startup, saying what to add ({@code DefaultGrpcChannelFactory}).
 */
@AutoConfiguration(afterName = {
    "dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration",
    "org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration",
    "org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration"})
@ConditionalOnClass(name = {
    "org.springframework.cloud.client.discovery.DiscoveryClient",
    "dev.grpcspring.client.ClientConn"})
@ConditionalOnBean(DiscoveryClient.class)
@EnableConfigurationProperties(GrpcDiscoveryProperties.class)
public final class GrpcDiscoveryAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  DiscoveryClientResolverBuilder grpcDiscoveryClientResolverBuilder(DiscoveryClient discoveryClient,
      GrpcDiscoveryProperties properties) {
    Duration interval = properties.getRefreshInterval();
    if (interval == null || interval.isNegative()) {
      throw new IllegalStateException("grpc.client.discovery.refresh-interval must be 0 (off) or "
          + "positive, got " + interval);
    }
    return new DiscoveryClientResolverBuilder(discoveryClient, interval);
  }

  @Bean
  @ConditionalOnClass(name = "dev.grpcspring.boot.client.GrpcChannelCustomizer")
  GrpcChannelCustomizer grpcDiscoveryResolverCustomizer(DiscoveryClientResolverBuilder resolver) {
    return (name, options) -> options.resolver(resolver);
  }

  @Bean
  DiscoveryHeartbeatListener grpcDiscoveryHeartbeatListener(DiscoveryClientResolverBuilder resolver) {
    return new DiscoveryHeartbeatListener(resolver);
  }
}
