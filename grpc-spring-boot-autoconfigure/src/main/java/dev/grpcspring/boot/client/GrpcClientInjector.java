package dev.grpcspring.boot.client;

import dev.grpcspring.Channel;
import dev.grpcspring.interceptor.ClientInterceptor;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;

/** Resolves what a {@link GrpcClient} member of a given type receives. */
public final class GrpcClientInjector {

  private final BeanFactory beanFactory;
  private volatile @Nullable GrpcChannelFactory channelFactory;

  public GrpcClientInjector(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  /**
   * The value for a member of {@code type} annotated with {@code annotation}: a stub on the
   * channel, the channel with interceptors, or the connection itself.
   */
  public Object resolve(GrpcClient annotation, Class<?> type, String member) {
    GrpcChannelFactory factory = channelFactory();
    String name = annotation.value();
    if (StubFactory.isStub(type)) {
      return StubFactory.newStub(type, factory.getChannel(name, interceptors(annotation, member)));
    }
    if (type == Channel.class) {
      return factory.getChannel(name, interceptors(annotation, member));
    }
    Channel connection = factory.getConnection(name);
    if (type.isInstance(connection)) {
      if (annotation.interceptors().length > 0 || annotation.interceptorNames().length > 0) {
        throw new IllegalStateException("@GrpcClient on " + member + " lists interceptors, but a "
            + type.getSimpleName() + " is the bare connection; declare a stub or"
            + " dev.grpcspring.Channel to get them applied");
      }
      return connection;
    }
    throw new IllegalStateException("@GrpcClient on " + member + " has type " + type.getName()
        + "; declare a generated stub, dev.grpcspring.Channel or "
        + connection.getClass().getName());
  }

  private List<ClientInterceptor> interceptors(GrpcClient annotation, String member) {
    List<ClientInterceptor> list = new ArrayList<>();
    for (Class<? extends ClientInterceptor> type : annotation.interceptors()) {
      try {
        list.add(beanFactory.getBean(type));
      } catch (NoUniqueBeanDefinitionException e) {
        throw new IllegalStateException("@GrpcClient on " + member + " asks for interceptor "
            + type.getName() + " but there are " + e.getNumberOfBeansFound()
            + " beans of that type; name one in interceptorNames instead", e);
      } catch (NoSuchBeanDefinitionException e) {
        list.add(BeanUtils.instantiateClass(type));
      }
    }
    for (String name : annotation.interceptorNames()) {
      list.add(beanFactory.getBean(name, ClientInterceptor.class));
    }
    return list;
  }

  private GrpcChannelFactory channelFactory() {
    GrpcChannelFactory f = channelFactory;
    if (f == null) {
      f = beanFactory.getBean(GrpcChannelFactory.class);
      channelFactory = f;
    }
    return f;
  }
}
