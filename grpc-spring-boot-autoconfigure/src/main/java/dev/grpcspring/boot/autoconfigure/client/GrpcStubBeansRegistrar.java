package dev.grpcspring.boot.autoconfigure.client;

import dev.grpcspring.boot.client.GrpcStubBeans;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.generate.GenerationContext;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.aot.BeanFactoryInitializationCode;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Registers the stub beans listed under {@code grpc.client.channel.<name>.stubs}, before any bean
 * is made, so that they can be injected by type and replaced by {@code @MockitoBean}. Each entry
 * is read as written: a list under {@code default} declares stubs of the default channel and is not
 * inherited by the others.
 *
 * <p>Its work is done when the bean definitions are: under AOT the registered stub beans are part
 * of the generated context, and this post-processor is left out of it (it is a
 * {@link BeanFactoryInitializationAotProcessor}, which Spring does not register at run time).
 */
public class GrpcStubBeansRegistrar implements BeanDefinitionRegistryPostProcessor,
    EnvironmentAware, BeanClassLoaderAware, BeanFactoryInitializationAotProcessor {

  private @Nullable Environment environment;
  private @Nullable ClassLoader classLoader;

  /** The one key read per channel entry; binding the whole entry would convert every value. */
  public static class StubsEntry {
    private List<String> stubs = new ArrayList<>();

    public List<String> getStubs() {
      return stubs;
    }

    public void setStubs(List<String> stubs) {
      this.stubs = stubs;
    }
  }

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setBeanClassLoader(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  @Override
  public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
    // EnvironmentAware: Spring sets the environment before calling any post-processing method.
    Map<String, StubsEntry> channels = Binder.get(
        Objects.requireNonNull(environment, "setEnvironment has not been called"))
        .bind("grpc.client.channel", Bindable.mapOf(String.class, StubsEntry.class))
        .orElse(Map.of());
    channels.forEach((channel, entry) -> {
      for (int i = 0; i < entry.getStubs().size(); i++) {
        String key = "grpc.client.channel." + channel + ".stubs[" + i + "]";
        String className = entry.getStubs().get(i).trim();
        Class<?> type;
        try {
          // Nested classes may be written with a dot, as in Java source: FooGrpc.FooBlockingStub.
          type = ClassUtils.resolveClassName(className, classLoader);
        } catch (IllegalArgumentException e) {
          type = nestedClass(className);
          if (type == null) {
            throw new IllegalArgumentException(key + " names class '" + className + "', which is"
                + " not on the classpath; give the fully qualified name of a generated stub, such"
                + " as com.example.FooGrpc.FooBlockingStub", e);
          }
        }
        GrpcStubBeans.register(registry, channel, type, "property " + key);
      }
    });
  }

  private @Nullable Class<?> nestedClass(String name) {
    int dot = name.lastIndexOf('.');
    if (dot < 0) {
      return null;
    }
    String binary = name.substring(0, dot) + '$' + name.substring(dot + 1);
    return ClassUtils.isPresent(binary, classLoader)
        ? ClassUtils.resolveClassName(binary, classLoader) : null;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
  }

  @Override
  public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
      ConfigurableListableBeanFactory beanFactory) {
    // Nothing to contribute: the stub beans it registered carry their own hints.
    return null;
  }
}
