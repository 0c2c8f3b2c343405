package dev.grpcspring.boot.test.autoconfigure;

import dev.grpcspring.boot.advice.GrpcAdvice;
import dev.grpcspring.boot.client.GrpcChannelCustomizer;
import dev.grpcspring.boot.client.GrpcGlobalClientInterceptor;
import dev.grpcspring.boot.server.GrpcGlobalServerInterceptor;
import dev.grpcspring.boot.server.GrpcServerBuilderCustomizer;
import dev.grpcspring.boot.server.GrpcService;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;

/**
 * The components {@link GrpcTest} scans: gRPC services (all, or the ones the annotation names),
 * exception advice, global interceptors and customizers.
 */
final class GrpcTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<GrpcTest> {

  private static final Set<Class<?>> SUPPORTING = Set.of(GrpcAdvice.class,
      GrpcGlobalServerInterceptor.class, GrpcGlobalClientInterceptor.class,
      GrpcServerBuilderCustomizer.class, GrpcChannelCustomizer.class);

  private static final Set<Class<?>> SUPPORTING_AND_SERVICES = Stream
      .concat(SUPPORTING.stream(), Stream.of(GrpcService.class)).collect(Collectors.toSet());

  private final Class<?>[] services;

  GrpcTypeExcludeFilter(Class<?> testClass) {
    super(testClass);
    this.services = getAnnotation().getValue("services", Class[].class).orElse(new Class<?>[0]);
  }

  @Override
  protected Set<Class<?>> getKnownIncludes() {
    return services.length == 0 ? SUPPORTING_AND_SERVICES : SUPPORTING;
  }

  @Override
  protected Set<Class<?>> getComponentIncludes() {
    return Set.of(services);
  }
}
