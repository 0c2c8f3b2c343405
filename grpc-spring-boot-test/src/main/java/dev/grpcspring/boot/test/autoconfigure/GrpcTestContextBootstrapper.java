package dev.grpcspring.boot.test.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.test.context.SpringBootTestContextBootstrapper;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.TestContextBootstrapper;

/** The {@link TestContextBootstrapper} of {@link GrpcTest}: adds its {@code properties}. */
class GrpcTestContextBootstrapper extends SpringBootTestContextBootstrapper {

  @Override
  protected String @Nullable [] getProperties(Class<?> testClass) {
    GrpcTest annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, GrpcTest.class);
    return annotation != null ? annotation.properties() : null;
  }
}
