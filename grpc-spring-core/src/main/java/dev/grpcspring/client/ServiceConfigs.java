package dev.grpcspring.client;

/**
 * Which service config a channel uses (service_config.md and gRFC A21): the resolver's, unless
 * disabled or invalid, else the last valid one, else the default from the dial options.
 * Serializer-confined.
 */
final class ServiceConfigs {
  /** The policy and its parsed config for the balancer. */
  record Selected(String policy, Object balancerConfig) {}

  private final DialOptions options;
  private String lastError;

  ServiceConfigs(DialOptions options) {
    this.options = options;
  }

  void parseDefault(String json) {
    throw new IllegalArgumentException("SERVICE-CONFIG-SEAM");
  }

  Selected select(String resolverJson) {
    return new Selected("pick_first", null);
  }

  String lastError() {
    return lastError;
  }

  CallMethodConfig callConfig(String fullMethodName) {
    return CallMethodConfig.NONE;
  }
}
