package dev.grpcspring.boot.client;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.beans.factory.support.AutowireCandidateResolver;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.annotation.ContextAnnotationAutowireCandidateResolver;
import org.springframework.core.MethodParameter;

/**
 * Lets {@link GrpcClient} annotate constructor and {@code @Bean} method parameters (and
 * {@code @Autowired} members): the stub or channel is offered as the suggested value, the way
 * {@code @Value} works; everything else is resolved as usual.
 */
public class GrpcClientAutowireCandidateResolver extends ContextAnnotationAutowireCandidateResolver {

  private static final Log log = LogFactory.getLog(GrpcClientAutowireCandidateResolver.class);

  private final GrpcClientInjector injector;

  GrpcClientAutowireCandidateResolver(GrpcClientInjector injector) {
    this.injector = injector;
  }

  /**
   * Installs the resolver on {@code beanFactory}, unless it already has it. A factory with a
   * resolver of another kind keeps it (replacing it could break whatever it does); then
   * {@code @GrpcClient} works on fields and setters only, and a warning says so.
   */
  public static void install(DefaultListableBeanFactory beanFactory) {
    AutowireCandidateResolver current = beanFactory.getAutowireCandidateResolver();
    if (current instanceof GrpcClientAutowireCandidateResolver) {
      return;
    }
    if (current.getClass() != ContextAnnotationAutowireCandidateResolver.class) {
      log.warn("The bean factory uses autowire candidate resolver " + current.getClass().getName()
          + ", so @GrpcClient on constructor and @Bean method parameters is not available;"
          + " annotate fields or setter methods instead");
      return;
    }
    GrpcClientAutowireCandidateResolver resolver =
        new GrpcClientAutowireCandidateResolver(new GrpcClientInjector(beanFactory));
    resolver.setBeanFactory(beanFactory);
    beanFactory.setAutowireCandidateResolver(resolver);
  }

  @Override
  public @Nullable Object getSuggestedValue(DependencyDescriptor descriptor) {
    GrpcClient annotation = annotation(descriptor);
    if (annotation != null) {
      String member = descriptor.getMethodParameter() != null
          ? descriptor.getMethodParameter().toString()
          : String.valueOf(descriptor.getField());
      return injector.resolve(annotation, descriptor.getDependencyType(), member);
    }
    return super.getSuggestedValue(descriptor);
  }

  private static @Nullable GrpcClient annotation(DependencyDescriptor descriptor) {
    MethodParameter parameter = descriptor.getMethodParameter();
    if (parameter != null) {
      GrpcClient a = parameter.getParameterAnnotation(GrpcClient.class);
      if (a == null && parameter.getMethod() != null && parameter.getMethod().getParameterCount() == 1) {
        // @GrpcClient on an @Autowired setter method.
        a = parameter.getMethodAnnotation(GrpcClient.class);
      }
      return a;
    }
    return descriptor.getField() != null ? descriptor.getField().getAnnotation(GrpcClient.class)
        : null;
  }

  @Override
  public AutowireCandidateResolver cloneIfNecessary() {
    // The default clones through a no-argument constructor; this resolver holds no per-use state.
    return this;
  }
}
