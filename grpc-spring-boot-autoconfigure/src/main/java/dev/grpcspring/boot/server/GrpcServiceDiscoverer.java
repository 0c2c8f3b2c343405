package dev.grpcspring.boot.server;

import dev.grpcspring.interceptor.ServerInterceptor;
import dev.grpcspring.server.BindableService;
import dev.grpcspring.server.ServerServiceDefinition;
import dev.grpcspring.boot.support.OrderedAnnotatedBeans;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;

/**
 * Collects the {@link GrpcService} beans as {@link ServerServiceDefinition}s, each wrapped in its
 * interceptors: the error boundary first, then the global interceptors by order, then the
 * service's own.
 */
public final class GrpcServiceDiscoverer {

  private final ListableBeanFactory beanFactory;
  private final List<ServerInterceptor> outermost;

  /**
   * @param beanFactory where the services and interceptors are beans
   * @param outermost interceptors that run before every other one, such as the exception
   *     boundary; they apply to every service
   */
  public GrpcServiceDiscoverer(ListableBeanFactory beanFactory, List<ServerInterceptor> outermost) {
    this.beanFactory = beanFactory;
    this.outermost = List.copyOf(outermost);
  }

  /**
   * The services to register, by bean name.
   *
   * @throws IllegalStateException if a {@code @GrpcService} bean is not a service, or two beans
   *     serve the same service name
   */
  public List<ServerServiceDefinition> findServices() {
    List<ServerInterceptor> globals = globalInterceptors();
    Map<String, String> beanByService = new LinkedHashMap<>();
    List<ServerServiceDefinition> services = new ArrayList<>();
    for (String name : beanFactory.getBeanNamesForAnnotation(GrpcService.class)) {
      GrpcService annotation = beanFactory.findAnnotationOnBean(name, GrpcService.class);
      Object bean = beanFactory.getBean(name);
      ServerServiceDefinition definition = bind(name, bean);
      String serviceName = definition.getServiceDescriptor().getName();
      String previous = beanByService.putIfAbsent(serviceName, name);
      if (previous != null) {
        throw new IllegalStateException("Beans '" + previous + "' and '" + name + "' both serve "
            + serviceName + "; annotate only one of them with @GrpcService");
      }
      List<ServerInterceptor> chain = new ArrayList<>(outermost);
      if (annotation == null || annotation.applyGlobalInterceptors()) {
        chain.addAll(globals);
      }
      if (annotation != null) {
        for (Class<? extends ServerInterceptor> type : annotation.interceptors()) {
          chain.add(interceptorOfType(type, name));
        }
        for (String interceptorName : annotation.interceptorNames()) {
          chain.add(beanFactory.getBean(interceptorName, ServerInterceptor.class));
        }
      }
      services.add(definition.intercept(chain));
    }
    return services;
  }

  /** The {@link GrpcGlobalServerInterceptor} beans, lowest order first. */
  public List<ServerInterceptor> globalInterceptors() {
    return OrderedAnnotatedBeans.find(
        beanFactory, GrpcGlobalServerInterceptor.class, ServerInterceptor.class);
  }

  private ServerInterceptor interceptorOfType(Class<? extends ServerInterceptor> type, String service) {
    try {
      return beanFactory.getBean(type);
    } catch (NoUniqueBeanDefinitionException e) {
      throw new IllegalStateException("@GrpcService '" + service + "' asks for interceptor "
          + type.getName() + " but there are " + e.getNumberOfBeansFound() + " beans of that type ("
          + Arrays.toString(beanFactory.getBeanNamesForType(type))
          + "); name one in interceptorNames instead", e);
    } catch (NoSuchBeanDefinitionException e) {
      return BeanUtils.instantiateClass(type);
    }
  }

  private static ServerServiceDefinition bind(String name, Object bean) {
    // A CGLIB proxy (for @Transactional, say) is still the ImplBase subclass: bindService() runs on
    // the proxy, so calls go through the advice. An interface-based proxy delegates bindService()
    // to the target.
    if (bean instanceof BindableService service) {
      ServerServiceDefinition definition = service.bindService();
      if (definition == null) {
        throw new IllegalStateException("@GrpcService bean '" + name + "' returned null from"
            + " bindService()");
      }
      return definition;
    }
    if (bean instanceof ServerServiceDefinition definition) {
      return definition;
    }
    throw new IllegalStateException("@GrpcService bean '" + name + "' is a "
        + bean.getClass().getName() + "; it must extend a generated ImplBase (or implement"
        + " dev.grpcspring.server.BindableService, or be a ServerServiceDefinition)");
  }
}
