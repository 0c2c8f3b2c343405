package dev.grpcspring.boot.test.autoconfigure;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Finds {@link AutoConfigureInProcessTransport} on a test class, directly, on a meta-annotation such
 * as {@link GrpcTest}, or on an enclosing class, and adds the in-process properties to its context.
 */
final class InProcessTransportContextCustomizerFactory implements ContextCustomizerFactory {

  @Override
  public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
      List<ContextConfigurationAttributes> configAttributes) {
    AutoConfigureInProcessTransport annotation = TestContextAnnotationUtils.findMergedAnnotation(
        testClass, AutoConfigureInProcessTransport.class);
    return annotation != null && annotation.enabled()
        ? new InProcessTransportContextCustomizer()
        : null;
  }
}
