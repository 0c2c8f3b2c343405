package dev.grpcspring.boot.aot;

import dev.grpcspring.boot.advice.GrpcAdvice;
import dev.grpcspring.boot.advice.GrpcExceptionHandler;
import dev.grpcspring.boot.client.GrpcClient;
import dev.grpcspring.boot.client.GrpcStubBeans;
import dev.grpcspring.boot.server.GrpcService;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Runtime hints, per bean, for what the starter does by reflection at run time:
 * <ul>
 *   <li>{@link GrpcClient} fields and setter methods, which {@code GrpcClientBeanPostProcessor}
 *       finds and sets reflectively, and the stubs they, {@code @GrpcClient} constructor and
 *       {@code @Bean} method parameters, and stub beans ask for (made through the generated
 *       {@code new*Stub} factories, found reflectively);</li>
 *   <li>{@link GrpcService} beans: the bean class (its annotation is read at run time), the
 *       interceptor types it names (made through their constructors when they are no beans), and
 *       the generated messages it serves;</li>
 *   <li>{@link GrpcAdvice} beans: their {@link GrpcExceptionHandler} methods, invoked
 *       reflectively.</li>
 * </ul>
 * Registered in {@code META-INF/spring/aot.factories}.
 */
class GrpcBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

  /** The runtime and protobuf are optional dependencies of the auto-configuration. */
  private static final boolean RUNTIME_PRESENT = present("dev.grpcspring.stub.AbstractStub")
      && present("com.google.protobuf.Message");

  private static boolean present(String className) {
    return ClassUtils.isPresent(className, GrpcBeanRegistrationAotProcessor.class.getClassLoader());
  }

  @Override
  public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
    if (!RUNTIME_PRESENT) {
      return null;
    }
    List<Consumer<RuntimeHints>> found = new ArrayList<>();
    Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanClass());
    RootBeanDefinition definition = registeredBean.getMergedBeanDefinition();
    Method factoryMethod = definition.getResolvedFactoryMethod();

    if (GrpcStubBeans.FACTORY_BEAN_NAME.equals(definition.getFactoryBeanName())) {
      Class<?> stubType = registeredBean.getBeanType().toClass();
      found.add(hints -> new GrpcTypeHints(hints).stub(stubType));
    }
    if (factoryMethod != null) {
      clientParameters(factoryMethod, found);
    }
    // Classes that cannot carry our annotations (java.*, say) are not scanned.
    List<Class<? extends Annotation>> ours =
        List.of(GrpcClient.class, GrpcService.class, GrpcAdvice.class);
    if (!AnnotationUtils.isCandidateClass(beanClass, ours)) {
      return contribution(found);
    }
    clientMembers(beanClass, found);
    for (Constructor<?> constructor : beanClass.getDeclaredConstructors()) {
      clientParameters(constructor, found);
    }
    GrpcService service = factoryMethod != null
        ? AnnotatedElementUtils.findMergedAnnotation(factoryMethod, GrpcService.class) : null;
    if (service == null) {
      service = AnnotatedElementUtils.findMergedAnnotation(beanClass, GrpcService.class);
    }
    if (service != null) {
      GrpcService annotation = service;
      Class<?> serviceType = beanClass;
      found.add(hints -> {
        hints.reflection().registerType(serviceType);
        for (Class<?> interceptor : annotation.interceptors()) {
          hints.reflection().registerType(interceptor,
              MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
        }
        new GrpcTypeHints(hints).service(serviceType);
      });
    }
    if (AnnotatedElementUtils.hasAnnotation(beanClass, GrpcAdvice.class)) {
      ReflectionUtils.doWithMethods(beanClass,
          m -> found.add(hints -> hints.reflection().registerMethod(m, ExecutableMode.INVOKE)),
          m -> AnnotatedElementUtils.hasAnnotation(m, GrpcExceptionHandler.class));
    }
    return contribution(found);
  }

  private static @Nullable BeanRegistrationAotContribution contribution(
      List<Consumer<RuntimeHints>> found) {
    if (found.isEmpty()) {
      return null;
    }
    return (generationContext, code) -> found.forEach(f -> f.accept(
        generationContext.getRuntimeHints()));
  }

  private static void clientMembers(Class<?> beanClass, List<Consumer<RuntimeHints>> found) {
    ReflectionUtils.doWithFields(beanClass, field -> found.add(hints -> {
      hints.reflection().registerField(field);
      new GrpcTypeHints(hints).stub(field.getType());
    }), field -> field.isAnnotationPresent(GrpcClient.class));
    ReflectionUtils.doWithMethods(beanClass, method -> found.add(hints -> {
      hints.reflection().registerMethod(method, ExecutableMode.INVOKE);
      for (Class<?> type : method.getParameterTypes()) {
        new GrpcTypeHints(hints).stub(type);
      }
    }), method -> method.isAnnotationPresent(GrpcClient.class) && !method.isBridge());
  }

  private static void clientParameters(Executable executable,
      List<Consumer<RuntimeHints>> found) {
    for (Parameter parameter : executable.getParameters()) {
      if (parameter.isAnnotationPresent(GrpcClient.class)) {
        Class<?> type = parameter.getType();
        found.add(hints -> new GrpcTypeHints(hints).stub(type));
      }
    }
  }
}
