package dev.grpcspring.boot.client;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
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

  private GrpcClientInjector injector;

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.injector = new GrpcClientInjector(beanFactory);
  }

  @Override
  public PropertyValues postProcessProperties(PropertyValues pvs, Object bean, String beanName)
      throws BeansException {
    Class<?> type = ClassUtils.getUserClass(bean);
    try {
      ReflectionUtils.doWithFields(type, field -> injectField(bean, field),
          field -> field.isAnnotationPresent(GrpcClient.class));
      ReflectionUtils.doWithMethods(type, method -> injectMethod(bean, method),
          method -> method.isAnnotationPresent(GrpcClient.class) && !method.isBridge());
    } catch (RuntimeException e) {
      throw new BeanCreationException(beanName, "Cannot inject @GrpcClient: " + e.getMessage(), e);
    }
    return pvs;
  }

  private void injectField(Object bean, Field field) {
    if (Modifier.isStatic(field.getModifiers())) {
      throw new IllegalStateException("@GrpcClient is not supported on static field " + field);
    }
    GrpcClient annotation = AnnotatedElementUtils.findMergedAnnotation(field, GrpcClient.class);
    Object value = injector.resolve(annotation, field.getType(), field.toString());
    ReflectionUtils.makeAccessible(field);
    ReflectionUtils.setField(field, bean, value);
  }

  private void injectMethod(Object bean, Method method) {
    if (Modifier.isStatic(method.getModifiers()) || method.getParameterCount() != 1) {
      throw new IllegalStateException("@GrpcClient goes on instance setter methods with one"
          + " parameter; " + method + " is not one");
    }
    GrpcClient annotation = AnnotatedElementUtils.findMergedAnnotation(method, GrpcClient.class);
    Object value = injector.resolve(annotation, method.getParameterTypes()[0], method.toString());
    ReflectionUtils.makeAccessible(method);
    ReflectionUtils.invokeMethod(method, bean, value);
  }
}
