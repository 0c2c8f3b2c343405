package dev.grpcspring.boot.advice;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.ExceptionDepthComparator;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the {@link GrpcExceptionHandler} method for an exception among the {@link GrpcAdvice}
 * beans: the one declared for the closest superclass of the exception wins; two handlers for the
 * same type fail at startup.
 */
public final class GrpcExceptionHandlerMethodResolver {

  /** A handler method and the bean it is called on. */
  public record HandlerMethod(Object bean, Method method) {}

  private final Map<Class<? extends Throwable>, HandlerMethod> handlers = new LinkedHashMap<>();
  /** Per exception type, its handler or empty when none: ConcurrentHashMap holds no null. */
  private final Map<Class<?>, Optional<HandlerMethod>> cache = new ConcurrentHashMap<>();

  /**
   * @param adviceBeans the {@link GrpcAdvice} beans
   * @throws IllegalStateException if two methods handle the same exception type
   */
  public GrpcExceptionHandlerMethodResolver(List<Object> adviceBeans) {
    for (Object bean : adviceBeans) {
      Class<?> type = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
      Map<Method, GrpcExceptionHandler> methods =
          MethodIntrospector.selectMethods(
              type,
              (MethodIntrospector.MetadataLookup<GrpcExceptionHandler>)
                  m -> AnnotatedElementUtils.findMergedAnnotation(m, GrpcExceptionHandler.class));
      for (Map.Entry<Method, GrpcExceptionHandler> e : methods.entrySet()) {
        Method method = AopUtils.selectInvocableMethod(e.getKey(), bean.getClass());
        ReflectionUtils.makeAccessible(method);
        for (Class<? extends Throwable> handled : handledTypes(e.getKey(), e.getValue())) {
          HandlerMethod previous = handlers.putIfAbsent(handled, new HandlerMethod(bean, method));
          if (previous != null) {
            throw new IllegalStateException(
                "Two @GrpcExceptionHandler methods handle " + handled.getName() + ": "
                    + previous.method() + " and " + method + "; keep one of them");
          }
        }
      }
    }
  }

  /** Whether no handler method was found at all. */
  public boolean isEmpty() {
    return handlers.isEmpty();
  }

  /**
   * The handler for {@code exception}'s type; when none, the handler for its causes, innermost
   * last; {@code null} when nothing handles it.
   */
  public @Nullable HandlerMethod resolve(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
      Optional<HandlerMethod> h = cache.computeIfAbsent(t.getClass(), this::lookup);
      if (h.isPresent()) {
        return h.get();
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private Optional<HandlerMethod> lookup(Class<?> exceptionType) {
    List<Class<? extends Throwable>> matches = new ArrayList<>();
    for (Class<? extends Throwable> handled : handlers.keySet()) {
      if (handled.isAssignableFrom(exceptionType)) {
        matches.add(handled);
      }
    }
    if (matches.isEmpty()) {
      return Optional.empty();
    }
    matches.sort(new ExceptionDepthComparator((Class<? extends Throwable>) exceptionType));
    return Optional.ofNullable(handlers.get(matches.get(0)));
  }

  @SuppressWarnings("unchecked")
  private static List<Class<? extends Throwable>> handledTypes(
      Method method, GrpcExceptionHandler annotation) {
    if (annotation.value().length > 0) {
      return Arrays.asList(annotation.value());
    }
    List<Class<? extends Throwable>> fromParameters = new ArrayList<>();
    for (Class<?> p : method.getParameterTypes()) {
      if (Throwable.class.isAssignableFrom(p)) {
        fromParameters.add((Class<? extends Throwable>) p);
      }
    }
    if (fromParameters.isEmpty()) {
      throw new IllegalStateException(
          "@GrpcExceptionHandler method " + method + " names no exception type: list the types in"
              + " the annotation or take the exception as a parameter");
    }
    return fromParameters;
  }
}
