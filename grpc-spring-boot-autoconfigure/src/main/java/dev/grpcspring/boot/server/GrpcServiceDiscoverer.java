package dev.grpcspring.boot.server;

import dev.grpcspring.interceptor.ServerInterceptor;
import dev.grpcspring.server.BindableService;
import dev.grpcspring.server.ServerServiceDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

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
    record Ranked(int order, int index, ServerInterceptor interceptor) {}
    String[] names = beanFactory.getBeanNamesForAnnotation(GrpcGlobalServerInterceptor.class);
    List<Ranked> ranked = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      Object bean = beanFactory.getBean(names[i]);
      if (!(bean instanceof ServerInterceptor interceptor)) {
        throw new IllegalStateException("Bean '" + names[i] + "' is annotated"
            + " @GrpcGlobalServerInterceptor but is a " + bean.getClass().getName()
            + ", not a dev.grpcspring.interceptor.ServerInterceptor");
      }
      ranked.add(new Ranked(orderOf(names[i], bean), i, interceptor));
    }
    ranked.sort(Comparator.comparingInt(Ranked::order).thenComparingInt(Ranked::index));
    return ranked.stream().map(Ranked::interceptor).toList();
  }

  private int orderOf(String name, Object bean) {
    if (bean instanceof Ordered ordered) {
      return ordered.getOrder();
    }
    // Covers @Order on the class and on the @Bean method that made it.
    Order order = beanFactory.findAnnotationOnBean(name, Order.class);
    return order != null ? order.value() : Ordered.LOWEST_PRECEDENCE;
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
