package dev.grpcspring.serviceconfig;

import dev.grpcspring.balancer.BalancerBuilder;
import dev.grpcspring.balancer.BalancerRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A parsed service config (gRPC's service-config spec, JSON form of {@code
 * grpc.service_config.ServiceConfig}): per-method settings, the balancing policy and retry
 * throttling, and the service name for client-side health checking ({@code healthCheckConfig},
 * gRFC A17). Immutable.
 *
 * <p>Made by {@link #parse parsing} JSON or with a {@link #newBuilder() builder}; both check the
 * same rules and report a broken one as an {@link InvalidServiceConfigException} naming the field
 * in the JSON form ({@code methodConfig[0].retryPolicy.maxAttempts ...}). A channel given an
 * invalid config by its resolver keeps its previous one (gRFC A21). Unknown JSON fields are
 * ignored.
 *
 * <pre>{@code
 * ServiceConfig config = ServiceConfig.newBuilder()
 *     .loadBalancingConfig("round_robin")
 *     .methodConfig(MethodConfig.newBuilder()
 *         .name("helloworld.Greeter")
 *         .timeout(Duration.ofSeconds(2))
 *         .retryPolicy(RetryPolicy.newBuilder()
 *             .maxAttempts(3)
 *             .initialBackoff(Duration.ofMillis(100))
 *             .maxBackoff(Duration.ofSeconds(1))
 *             .backoffMultiplier(2)
 *             .retryableStatusCodes(Code.UNAVAILABLE)))
 *     .retryThrottling(10, 0.1)
 *     .build();
 * }</pre>
 */
public final class ServiceConfig {
  /** No settings at all. */
  public static final ServiceConfig EMPTY = new ServiceConfig(null, List.of(), Map.of(), null, null, null);

  private final @Nullable String json;
  private final List<MethodConfig> methodConfigs;
  private final Map<String, MethodConfig> byName;
  private final @Nullable LoadBalancingConfig loadBalancingConfig;
  private final @Nullable RetryThrottlingPolicy retryThrottling;
  private final @Nullable String healthCheckServiceName;

  ServiceConfig(
      @Nullable String json,
      List<MethodConfig> methodConfigs,
      Map<String, MethodConfig> byName,
      @Nullable LoadBalancingConfig loadBalancingConfig,
      @Nullable RetryThrottlingPolicy retryThrottling,
      @Nullable String healthCheckServiceName) {
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

  /** A builder for a service config, the typed counterpart of the JSON form. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * The settings for one method: from the config naming this exact method, else the one naming its
   * service, else the default one (empty name); {@link MethodConfig#EMPTY} when none applies.
   *
   * @param fullMethodName {@code package.Service/Method} (a leading slash is fine)
   */
  public MethodConfig methodConfig(String fullMethodName) {
    // Every call asks: no strings are built when there is nothing to find or the exact name hits.
    if (byName.isEmpty()) {
      return MethodConfig.EMPTY;
    }
    String name = fullMethodName.startsWith("/") ? fullMethodName.substring(1) : fullMethodName;
    int slash = name.lastIndexOf('/');
    MethodConfig mc = null;
    if (slash > 0) {
      mc = byName.get(name); // key(service, method) is the name itself
      if (mc == null) {
        mc = byName.get(key(name.substring(0, slash), ""));
      }
    } else if (slash < 0) {
      mc = byName.get(key(name, ""));
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
  public @Nullable LoadBalancingConfig loadBalancingConfig() {
    return loadBalancingConfig;
  }

  /** Retry throttling, or null when off. */
  public @Nullable RetryThrottlingPolicy retryThrottling() {
    return retryThrottling;
  }

  /**
   * The service name for client-side health checking ({@code healthCheckConfig.serviceName}; empty
   * means the server's overall health, and is what a {@code healthCheckConfig} without a name
   * asks for), or null when health checking is not configured. Only balancers that ask for health
   * checking use it (round_robin does, pick_first does not).
   */
  public @Nullable String healthCheckServiceName() {
    return healthCheckServiceName;
  }

  /** The JSON this was parsed from, or null for {@link #EMPTY} and for a built config. */
  public @Nullable String json() {
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

  /**
   * Builds a {@link ServiceConfig} field by field. Nothing is checked until {@link #build()}, which
   * applies the rules {@link #parse} applies, with the same messages, naming fields by their path
   * in the JSON form ({@code methodConfig[1].timeout}, counting method configs in the order they
   * were added). The JSON parser fills one of these too, so the two cannot drift apart.
   */
  public static final class Builder {
    private final List<MethodConfig.Builder> methodConfigs = new ArrayList<>();
    /** {@code loadBalancingConfig} entries in the JSON shape: one-field maps {policy: config}. */
    final List<Object> loadBalancingConfigs = new ArrayList<>();
    /** The deprecated {@code loadBalancingPolicy}, JSON only. */
    @Nullable String loadBalancingPolicy;
    private boolean retryThrottling;
    @Nullable Long maxTokens;
    @Nullable Double tokenRatio;
    @Nullable String healthCheckServiceName;

    Builder() {}

    /**
     * Adds a method config, copied as it is now. A name may appear in one method config only.
     */
    public Builder methodConfig(MethodConfig.Builder methodConfig) {
      methodConfigs.add(methodConfig.copy());
      return this;
    }

    /** Adds {@code policyName}, with an empty config, to the balancing policies to choose from. */
    public Builder loadBalancingConfig(String policyName) {
      return loadBalancingConfig(policyName, Map.of());
    }

    /**
     * Adds a balancing policy and its config (the JSON object the policy's {@link
     * BalancerBuilder#parseConfig} reads: strings, booleans, numbers, lists and maps). The first
     * policy added that the registry knows is used, so later ones are fallbacks.
     */
    public Builder loadBalancingConfig(String policyName, Map<String, ?> config) {
      Objects.requireNonNull(policyName, "policyName");
      loadBalancingConfigs.add(Map.of(policyName, Collections.unmodifiableMap(new LinkedHashMap<>(config))));
      return this;
    }

    /**
     * Throttles retries and hedges across the channel's calls: {@code maxTokens} in 1..1000,
     * {@code tokenRatio} > 0 (three decimals are kept).
     */
    public Builder retryThrottling(int maxTokens, double tokenRatio) {
      this.retryThrottling = true;
      this.maxTokens = (long) maxTokens;
      this.tokenRatio = tokenRatio;
      return this;
    }

    /** Marks the JSON {@code retryThrottling} object as present, whatever it holds. */
    void retryThrottlingPresent() {
      this.retryThrottling = true;
    }

    /**
     * Turns on client-side health checking (gRFC A17) of {@code serviceName}; empty asks for the
     * server's overall health. Only balancers that health-check use it (round_robin).
     */
    public Builder healthCheckServiceName(String serviceName) {
      this.healthCheckServiceName = Objects.requireNonNull(serviceName, "serviceName");
      return this;
    }

    /**
     * The config, choosing the balancing policy among those in the default {@link
     * BalancerRegistry}.
     *
     * @throws InvalidServiceConfigException naming the first field that breaks a rule
     */
    public ServiceConfig build() {
      return build(BalancerRegistry.getDefaultRegistry());
    }

    /**
     * The config, choosing the balancing policy among those in {@code registry}.
     *
     * @throws InvalidServiceConfigException naming the first field that breaks a rule
     */
    public ServiceConfig build(BalancerRegistry registry) {
      return build(Objects.requireNonNull(registry, "registry"), null);
    }

    ServiceConfig build(BalancerRegistry registry, @Nullable String json) {
      List<MethodConfig> built = new ArrayList<>();
      Map<String, MethodConfig> byName = new HashMap<>();
      for (int i = 0; i < methodConfigs.size(); i++) {
        MethodConfig mc = methodConfigs.get(i).build("methodConfig[" + i + "]");
        if (mc.names().isEmpty()) {
          continue; // the spec skips a method config that names no method
        }
        for (MethodConfig.Name name : mc.names()) {
          if (byName.putIfAbsent(key(name.service(), name.method()), mc) != null) {
            throw InvalidServiceConfigException.at("methodConfig[" + i + "]", "repeats the name "
                + describe(name) + ", already used by an earlier method config; every name must be unique");
          }
        }
        built.add(mc);
      }
      RetryThrottlingPolicy throttling =
          retryThrottling ? RetryThrottlingPolicy.of("retryThrottling", maxTokens, tokenRatio) : null;
      return new ServiceConfig(json, built, byName, loadBalancing(registry), throttling,
          healthCheckServiceName);
    }

    private @Nullable LoadBalancingConfig loadBalancing(BalancerRegistry registry) {
      if (!loadBalancingConfigs.isEmpty()) {
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < loadBalancingConfigs.size(); i++) {
          String path = "loadBalancingConfig[" + i + "]";
          JsonObject entry = JsonObject.of(loadBalancingConfigs.get(i), path);
          if (entry.raw().size() != 1) {
            throw InvalidServiceConfigException.at(path,
                "must have exactly one field, the policy name; got " + entry.raw().keySet());
          }
          String name = entry.raw().keySet().iterator().next();
          BalancerBuilder builder = registry.get(name);
          if (builder == null) {
            unknown.add(name);
            continue;
          }
          Object value = entry.raw().get(name);
          Map<String, ?> config = value == null ? Map.of() : JsonObject.of(value, path + "." + name).raw();
          try {
            return new LoadBalancingConfig(name, builder.parseConfig(config));
          } catch (IllegalArgumentException e) {
            String field = path + "." + name;
            throw new InvalidServiceConfigException(field, field + ": " + e.getMessage(), e);
          }
        }
        throw InvalidServiceConfigException.at("loadBalancingConfig",
            "names no registered policy (found " + unknown + ")");
      }
      if (loadBalancingPolicy == null) {
        return null;
      }
      String name = loadBalancingPolicy.toLowerCase(Locale.ROOT);
      BalancerBuilder builder = registry.get(name);
      if (builder == null) {
        throw InvalidServiceConfigException.at("loadBalancingPolicy",
            "'" + loadBalancingPolicy + "' is not a registered policy");
      }
      return new LoadBalancingConfig(name, builder.parseConfig(Map.of()));
    }

    /** {@code maxAttempts} of a retry or hedging policy at {@code path}: > 1, capped at 5. */
    static int maxAttempts(String path, @Nullable Long n) {
      if (n == null || n <= 1) {
        throw InvalidServiceConfigException.at(path(path, "maxAttempts"),
            "is required and must be > 1, got " + n);
      }
      return (int) Math.min(n, RetryPolicy.MAX_ATTEMPTS_LIMIT);
    }

    /** {@code path.key}, or {@code key} at the top. */
    static String path(String path, String key) {
      return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(MethodConfig.Name name) {
      return "{service: '" + name.service() + "', method: '" + name.method() + "'}";
    }
  }
}
