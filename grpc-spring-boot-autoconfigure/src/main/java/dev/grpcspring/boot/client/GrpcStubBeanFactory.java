package dev.grpcspring.boot.client;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;

/**
 * Makes the stub beans that {@link ImportGrpcClients} and {@code grpc.client.channel.<name>.stubs}
 * declare (registered by {@link GrpcStubBeans}), on the channels of the {@link GrpcChannelFactory}
 * bean.
 */
public class GrpcStubBeanFactory implements BeanFactoryAware {

  private @Nullable BeanFactory beanFactory;

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  /**
   * A stub of {@code type} on channel {@code channel}, with the channel's default call options and
   * interceptors, as {@link GrpcClient} would inject it.
   *
   * @throws IllegalStateException if there is no channel factory or the channel has no target
   */
  public <T> T createStub(String channel, Class<T> type) {
    // BeanFactoryAware: Spring sets the bean factory before the bean can be used.
    BeanFactory beans = Objects.requireNonNull(beanFactory, "setBeanFactory has not been called");
    GrpcChannelFactory channels =
        beans.getBeanProvider(GrpcChannelFactory.class).getIfAvailable();
    if (channels == null) {
      throw new IllegalStateException("Stub " + type.getName() + " on channel '" + channel
          + "' needs a GrpcChannelFactory bean, and there is none: the gRPC client"
          + " auto-configuration is off (grpc.client.enabled=false) or excluded");
    }
    return StubFactory.newStub(type, channels.getChannel(channel, List.of()));
  }
}
