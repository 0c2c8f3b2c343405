package dev.grpcspring.boot.autoconfigure.channelz;

import dev.grpcspring.boot.channelz.GrpcChannelzMeterBinder;
import dev.grpcspring.boot.autoconfigure.server.GrpcServerAutoConfiguration;
import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.boot.server.GrpcService;
import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.channelz.service.ChannelzService;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Channelz: the {@code grpc.channelz.v1.Channelz} service on the gRPC server when {@code
 * grpc.server.channelz.enabled=true} (off by default: it shows what the process is connected to)
 * and the server starts (channelz alone does not start it),
 * and, with Micrometer, the channelz counters as {@code grpc.channelz.*} meters.
 */
@AutoConfiguration(after = GrpcServerAutoConfiguration.class)
@ConditionalOnClass(name = "dev.grpcspring.channelz.Channelz")
public final class GrpcChannelzAutoConfiguration {

  @Bean
  @GrpcService
  @ConditionalOnClass(name = "dev.grpcspring.server.Server")
  @ConditionalOnBooleanProperty(name = "grpc.server.channelz.enabled")
  @ConditionalOnBean(GrpcServerLifecycle.class)
  @ConditionalOnMissingBean
  ChannelzService grpcChannelzService() {
    return new ChannelzService(Channelz.getDefault());
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  @ConditionalOnBooleanProperty(name = "grpc.channelz.meters.enabled", matchIfMissing = true)
  static final class Meters {
    @Bean
    @ConditionalOnMissingBean
    GrpcChannelzMeterBinder grpcChannelzMeterBinder() {
      return new GrpcChannelzMeterBinder(Channelz.getDefault());
    }
  }
}
