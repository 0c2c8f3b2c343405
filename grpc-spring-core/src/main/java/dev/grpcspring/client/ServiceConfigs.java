package dev.grpcspring.client;

import dev.grpcspring.Status;
import dev.grpcspring.balancer.BalancerBuilder;
import dev.grpcspring.balancer.BalancerRegistry;
import dev.grpcspring.serviceconfig.LoadBalancingConfig;
import dev.grpcspring.serviceconfig.MethodConfig;
import dev.grpcspring.serviceconfig.RetryThrottlingPolicy;
import dev.grpcspring.serviceconfig.ServiceConfig;
import java.util.Objects;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Which service config a channel uses (service_config.md and gRFC A21): the resolver's, unless
 * service configs from the resolver are disabled or it sends none, in which case the default from
 * the dial options (or none). An invalid config from the resolver is rejected: the channel keeps
 * the config it had, or falls back to the default when it had none; with neither, the channel goes
 * to TRANSIENT_FAILURE. Selection runs in the serializer; calls read the config in use from any
 * thread.
 */
final class ServiceConfigs {
  private static final Logger log = Logger.getLogger(ServiceConfigs.class.getName());

  /** The policy, its builder and its parsed config for the balancer. */
  record Selected(String policy, BalancerBuilder builder, @Nullable Object balancerConfig) {}

  private final boolean ignoreResolver;
  private final boolean disableHealthCheck;
  private volatile @Nullable String healthCheckServiceName;
  private boolean healthCheckChanged;
  private ServiceConfig defaultConfig;
  private volatile @Nullable ServiceConfig current;
  private volatile @Nullable RetryThrottler throttler;
  private @Nullable String lastError;

  /**
   * Takes the default config from the dial options, typed or as JSON to parse.
   *
   * @throws IllegalArgumentException naming what is wrong in the default config, which fails the
   *     dial
   */
  ServiceConfigs(DialOptions options) {
    this.ignoreResolver = options.disableServiceConfig();
    this.disableHealthCheck = options.disableHealthCheck();
    if (options.defaultServiceConfig() != null) {
      defaultConfig = options.defaultServiceConfig();
    } else if (options.defaultServiceConfigJson() != null) {
      try {
        defaultConfig = ServiceConfig.parse(options.defaultServiceConfigJson());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Invalid default service config: " + e.getMessage(), e);
      }
    }
    if (defaultConfig != null) {
      setCurrent(defaultConfig);
    }
  }

  private void setCurrent(ServiceConfig c) {
    current = c;
    String health = disableHealthCheck ? null : c.healthCheckServiceName();
    if (!Objects.equals(health, healthCheckServiceName)) {
      healthCheckServiceName = health;
      healthCheckChanged = true;
    }
    RetryThrottlingPolicy p = c.retryThrottling();
    RetryThrottler t = throttler;
    if (p == null) {
      throttler = null;
    } else if (t == null || !t.policy().equals(p)) {
      // A changed policy starts a full bucket; an unchanged one keeps its count (grpc-go does too).
      throttler = new RetryThrottler(p);
    }
  }

  /** The channel's retry token bucket, or null when the config in use has no retryThrottling. */
  @Nullable RetryThrottler throttler() {
    return throttler;
  }

  /**
   * The service name subchannels health-check (A17), or null when the config in use has no
   * {@code healthCheckConfig} or the dial options disable health checking.
   */
  @Nullable String healthCheckServiceName() {
    return healthCheckServiceName;
  }

  /** Whether {@link #healthCheckServiceName()} changed since the last call; clears the flag. */
  boolean healthCheckChanged() {
    boolean changed = healthCheckChanged;
    healthCheckChanged = false;
    return changed;
  }

  /** Chooses the config for a resolver update; null when no usable config exists. */
  @Nullable Selected select(@Nullable String resolverJson) {
    ServiceConfig chosen;
    if (ignoreResolver || resolverJson == null) {
      chosen = defaultConfig != null ? defaultConfig : ServiceConfig.EMPTY;
    } else {
      try {
        chosen = ServiceConfig.parse(resolverJson);
        lastError = null;
      } catch (IllegalArgumentException e) {
        lastError = e.getMessage();
        chosen = current != null ? current : defaultConfig;
        if (chosen == null) {
          return null;
        }
      }
    }
    setCurrent(chosen);
    LoadBalancingConfig lb = chosen.loadBalancingConfig();
    String policy = lb == null ? "pick_first" : lb.policyName();
    BalancerBuilder builder = BalancerRegistry.getDefaultRegistry().get(policy);
    if (builder == null) {
      // Parsing checked the registry; a policy unregistered since then falls back.
      log.warning("Load balancing policy '" + policy + "' is not registered; using pick_first");
      return new Selected("pick_first", pickFirst(), null);
    }
    return new Selected(policy, builder, lb == null ? null : lb.config());
  }

  /** The pick_first builder, the policy when none is chosen. */
  static BalancerBuilder pickFirst() {
    // The default registry is created with pick_first; it is the fallback that must exist.
    return Objects.requireNonNull(
        BalancerRegistry.getDefaultRegistry().get("pick_first"), "pick_first in the default registry");
  }

  /** Why {@link #select} found no usable config: the resolver's config was invalid. */
  Status unusable(String target) {
    return Status.UNAVAILABLE.withDescription(
        "The resolver's service config for " + target + " is invalid: " + lastError);
  }

  /** The method config in use for {@code fullMethodName}; {@link MethodConfig#EMPTY} if none. */
  MethodConfig methodConfig(String fullMethodName) {
    ServiceConfig c = current;
    return c == null ? MethodConfig.EMPTY : c.methodConfig(fullMethodName);
  }
}
