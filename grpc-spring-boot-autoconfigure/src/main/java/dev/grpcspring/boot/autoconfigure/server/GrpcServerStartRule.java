package dev.grpcspring.boot.autoconfigure.server;

import dev.grpcspring.boot.server.GrpcService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.type.MethodMetadata;

/**
 * Decides whether the gRPC server starts: {@code grpc.server.enabled=false} never starts it,
 * {@code grpc.server.enabled=true} always does, and when the property is unset it starts only if
 * the application declares at least one service of its own ({@link GrpcService} beans). The
 * starter's own services (health, reflection, channelz) do not count, so an application that only
 * calls other services opens no port.
 *
 * <p>The decision is made from bean definitions, while auto-configurations are processed: an
 * auto-configuration that contributes {@code @GrpcService} beans must be ordered before
 * {@link GrpcServerAutoConfiguration}.
 */
public record GrpcServerStartRule(boolean start, String reason, List<String> serviceBeans) {

  /** The property that forces the decision either way. */
  public static final String ENABLED_PROPERTY = "grpc.server.enabled";

  /** Services the starter registers itself; they never make the server start on their own. */
  private static final Set<String> STARTER_SERVICE_TYPES = Set.of(
      "dev.grpcspring.channelz.service.ChannelzService",
      "dev.grpcspring.health.HealthService",
      "dev.grpcspring.reflection.ProtoReflectionService");

  /** The decision for the bean definitions registered in {@code beanFactory} so far. */
  public static GrpcServerStartRule evaluate(ConfigurableListableBeanFactory beanFactory,
      Environment environment) {
    Boolean enabled = environment.getProperty(ENABLED_PROPERTY, Boolean.class);
    if (Boolean.FALSE.equals(enabled)) {
      return new GrpcServerStartRule(false, ENABLED_PROPERTY + "=false", List.of());
    }
    List<String> services = serviceBeans(beanFactory);
    if (Boolean.TRUE.equals(enabled)) {
      return new GrpcServerStartRule(true, "forced by " + ENABLED_PROPERTY + "=true", services);
    }
    if (services.isEmpty()) {
      return new GrpcServerStartRule(false, "no @GrpcService beans (set " + ENABLED_PROPERTY
          + "=true to start it anyway)", services);
    }
    return new GrpcServerStartRule(true, "the application declares " + services.size()
        + (services.size() == 1 ? " @GrpcService bean " : " @GrpcService beans ") + services,
        services);
  }

  /** The log line for this decision. */
  public String describe() {
    return start ? "grpc-spring server starts: " + reason
        : "grpc-spring server not started: " + reason;
  }

  /** Names of the {@code @GrpcService} beans that are the application's own. */
  static List<String> serviceBeans(ConfigurableListableBeanFactory beanFactory) {
    List<String> names = new ArrayList<>();
    for (String name : beanFactory.getBeanDefinitionNames()) {
      BeanDefinition definition = beanFactory.getBeanDefinition(name);
      if (definition.isAbstract() || !isGrpcService(beanFactory, name, definition)) {
        continue;
      }
      // Not allowed to initialise a FactoryBean here: this runs before any bean exists.
      Class<?> type = beanFactory.getType(name, false);
      if (type == null || !STARTER_SERVICE_TYPES.contains(type.getName())) {
        names.add(name);
      }
    }
    return names;
  }

  private static boolean isGrpcService(ConfigurableListableBeanFactory beanFactory, String name,
      BeanDefinition definition) {
    String annotation = GrpcService.class.getName();
    if (definition instanceof AnnotatedBeanDefinition annotated) {
      MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
      if (factoryMethod != null) {
        if (factoryMethod.isAnnotated(annotation)) {
          return true;
        }
      } else if (annotated.getMetadata().isAnnotated(annotation)) {
        return true;
      }
    }
    return beanFactory.findAnnotationOnBean(name, GrpcService.class, false) != null;
  }
}
