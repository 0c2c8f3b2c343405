package dev.grpcspring.boot.autoconfigure.reflection;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Configuration of gRPC server reflection, under {@code grpc.server.reflection}. */
@ConfigurationProperties("grpc.server.reflection")
public class GrpcReflectionProperties {

  /**
   * Whether to serve server reflection (grpc.reflection.v1 and v1alpha), which lets tools such as
   * grpcurl list the services and fetch their .proto descriptors.
   */
  private boolean enabled = true;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }
}
