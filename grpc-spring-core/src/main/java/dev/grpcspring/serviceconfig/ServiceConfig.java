package dev.grpcspring.serviceconfig;

import dev.grpcspring.balancer.BalancerRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed service config (gRPC's service-config spec, JSON form of {@code
 * grpc.service_config.ServiceConfig}): per-method settings, the balancing policy and retry
 * throttling, and the service name for client-side health checking ({@code healthCheckConfig},
 * gRFC A17). Immutable.
 *
 * <p>Parsing validates everything it knows: any problem is an {@link IllegalArgumentException}
 * naming the field ({@code methodConfig[0].retryPolicy.maxAttempts ...}), and the channel then keeps
 * its previous config (gRFC A21). Unknown fields are ignored.
 */
public final class ServiceConfig {
  /** No settings at all. */
  public static final ServiceConfig EMPTY = new ServiceConfig(null, List.of(), Map.of(), null, null, null);

  private final String json;
  private final List<MethodConfig> methodConfigs;
  private final Map<String, MethodConfig> byName;
  private final LoadBalancingConfig loadBalancingConfig;
  private final RetryThrottlingPolicy retryThrottling;
  private final String healthCheckServiceName;

  ServiceConfig(
      String json,
      List<MethodConfig> methodConfigs,
      Map<String, MethodConfig> byName,
      LoadBalancingConfig loadBalancingConfig,
      RetryThrottlingPolicy retryThrottling,
      String healthCheckServiceName) {
    this.json = json;
    this.methodConfigs = List.copyOf(methodConfigs);
    this.byName = Map.copyOf(byName);
    this.loadBalancingConfig = loadBalancingConfig;
    this.retryThrottling = retryThrottling;
    this.healthCheckServiceName = healthCheckServiceName;
  }

  /**
   * Parses {@code json}, choosing the balancing policy among those in the default {@link
   * BalancerRegistry}.
   *
   * @throws IllegalArgumentException for malformed JSON or an invalid config, naming the field
   */
  public static ServiceConfig parse(String json) {
    return parse(json, BalancerRegistry.getDefaultRegistry());
  }

  /**
   * Parses {@code json}, choosing the balancing policy among those in {@code registry}.
   *
   * @throws IllegalArgumentException for malformed JSON or an invalid config, naming the field
   */
  public static ServiceConfig parse(String json, BalancerRegistry registry) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(registry, "registry");
    return ServiceConfigParser.parse(json, registry);
  }

  /**
   * The settings for one method: from the config naming this exact method, else the one naming its
   * service, else the default one (empty name); {@link MethodConfig#EMPTY} when none applies.
   *
   * @param fullMethodName {@code package.Service/Method} (a leading slash is fine)
   */
  public MethodConfig methodConfig(String fullMethodName) {
    String name = fullMethodName.startsWith("/") ? fullMethodName.substring(1) : fullMethodName;
    int slash = name.lastIndexOf('/');
    String service = slash < 0 ? name : name.substring(0, slash);
    String method = slash < 0 ? "" : name.substring(slash + 1);
    MethodConfig mc = byName.get(key(service, method));
    if (mc == null) {
      mc = byName.get(key(service, ""));
    }
    if (mc == null) {
      mc = byName.get(key("", ""));
    }
    return mc == null ? MethodConfig.EMPTY : mc;
  }

  /** Every method config, in document order (those with no names left out). */
  public List<MethodConfig> methodConfigs() {
    return methodConfigs;
  }

  /** The chosen balancing policy, or null when the config names none (the channel's default). */
  public LoadBalancingConfig loadBalancingConfig() {
    return loadBalancingConfig;
  }

  /** Retry throttling, or null when off. */
  public RetryThrottlingPolicy retryThrottling() {
    return retryThrottling;
  }

  /**
   * The service name for client-side health checking ({@code healthCheckConfig.serviceName}; empty
   * means the server's overall health, and is what a {@code healthCheckConfig} without a name
   * asks for), or null when health checking is not configured. Only balancers that ask for health
   * checking use it (round_robin does, pick_first does not).
   */
  public String healthCheckServiceName() {
    return healthCheckServiceName;
  }

  /** The JSON this was parsed from, or null for {@link #EMPTY}. */
  public String json() {
    return json;
  }

  static String key(String service, String method) {
    return service.isEmpty() ? "" : service + "/" + method;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceConfig other
        && methodConfigs.equals(other.methodConfigs)
        && Objects.equals(loadBalancingConfig, other.loadBalancingConfig)
        && Objects.equals(retryThrottling, other.retryThrottling)
        && Objects.equals(healthCheckServiceName, other.healthCheckServiceName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(methodConfigs, loadBalancingConfig, retryThrottling, healthCheckServiceName);
  }

  @Override
  public String toString() {
    return "ServiceConfig{methodConfigs=" + methodConfigs + ", loadBalancingConfig=" + loadBalancingConfig
        + ", retryThrottling=" + retryThrottling + ", healthCheckServiceName=" + healthCheckServiceName + "}";
  }
}
