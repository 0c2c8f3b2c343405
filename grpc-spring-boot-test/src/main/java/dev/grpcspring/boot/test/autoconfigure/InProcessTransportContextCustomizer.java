package dev.grpcspring.boot.test.autoconfigure;

import java.util.Map;
import java.util.UUID;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Puts the server and every channel of one context on an in-process name of its own. The name is
 * made per context, not per test class, because Spring's test framework keeps several contexts
 * alive at once and two servers cannot share a name. All instances are equal, so the annotation
 * does not split the context cache.
 */
final class InProcessTransportContextCustomizer implements ContextCustomizer {

  /** The property source's name, ahead of every other source in the environment. */
  static final String PROPERTY_SOURCE = "grpcInProcessTransport";

  @Override
  public void customizeContext(ConfigurableApplicationContext context,
      MergedContextConfiguration mergedConfig) {
    String name = "grpc-test-" + UUID.randomUUID();
    context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE,
        Map.of("grpc.server.port", "-1",
            "grpc.server.in-process.name", name,
            "grpc.client.in-process.name", name)));
  }

  @Override
  public boolean equals(Object other) {
    return other != null && other.getClass() == getClass();
  }

  @Override
  public int hashCode() {
    return getClass().hashCode();
  }
}
