package dev.grpcspring.boot.client;

import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.PropertyValues;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Injects {@link GrpcClient} fields and setter methods of every bean, before its other properties
 * are set. Constructor and {@code @Bean} method parameters are handled by
 * {@link GrpcClientAutowireCandidateResolver}.
 */
public class GrpcClientBeanPostProcessor implements InstantiationAwareBeanPostProcessor,
    BeanFactoryAware {

  private @Nullable GrpcClientInjector injector;

  /** The annotated members of each class seen, so a class is scanned once. */
  private final Map<Class<?>, List<Member>> members = new ConcurrentHashMap<>();

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.injector = new GrpcClientInjector(beanFactory);
  }

  private GrpcClientInjector injector() {
    // BeanFactoryAware: Spring sets the bean factory before any post-processing callback.
    return Objects.requireNonNull(injector, "setBeanFactory has not been called");
  }

  @Override
  public PropertyValues postProcessProperties(PropertyValues pvs, Object bean, String beanName)
      throws BeansException {
    List<Member> annotated = members.computeIfAbsent(ClassUtils.getUserClass(bean), type -> {
      List<Member> found = new ArrayList<>();
      ReflectionUtils.doWithFields(type, found::add,
          field -> field.isAnnotationPresent(GrpcClient.class));
      ReflectionUtils.doWithMethods(type, found::add,
          method -> method.isAnnotationPresent(GrpcClient.class) && !method.isBridge());
      return List.copyOf(found);
    });
    try {
      for (Member member : annotated) {
        if (member instanceof Field field) {
          injectField(bean, field);
        } else {
          injectMethod(bean, (Method) member);
        }
      }
    } catch (RuntimeException e) {
      throw new BeanCreationException(beanName, "Cannot inject @GrpcClient: " + e.getMessage(), e);
    }
    return pvs;
  }

  private void injectField(Object bean, Field field) {
    if (Modifier.isStatic(field.getModifiers())) {
      throw new IllegalStateException("@GrpcClient is not supported on static field " + field);
    }
    // Present: only members annotated with @GrpcClient get here.
    GrpcClient annotation = Objects.requireNonNull(
        AnnotatedElementUtils.findMergedAnnotation(field, GrpcClient.class), "@GrpcClient");
    Object value = injector().resolve(annotation, field.getType(), field.toString());
    ReflectionUtils.makeAccessible(field);
    ReflectionUtils.setField(field, bean, value);
  }

  private void injectMethod(Object bean, Method method) {
    if (Modifier.isStatic(method.getModifiers()) || method.getParameterCount() != 1) {
      throw new IllegalStateException("@GrpcClient goes on instance setter methods with one"
          + " parameter; " + method + " is not one");
    }
    // Present: only members annotated with @GrpcClient get here.
    GrpcClient annotation = Objects.requireNonNull(
        AnnotatedElementUtils.findMergedAnnotation(method, GrpcClient.class), "@GrpcClient");
    Object value = injector().resolve(annotation, method.getParameterTypes()[0], method.toString());
    ReflectionUtils.makeAccessible(method);
    ReflectionUtils.invokeMethod(method, bean, value);
  }
}
