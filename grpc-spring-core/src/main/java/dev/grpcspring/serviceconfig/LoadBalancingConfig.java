package dev.grpcspring.serviceconfig;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The balancing policy a service config chose: the first entry of {@code loadBalancingConfig}
 * whose policy is registered, or the deprecated {@code loadBalancingPolicy}.
 *
 * @param policyName the registered policy name ({@code round_robin})
 * @param config the policy's config as its builder parsed it, or null
 */
public record LoadBalancingConfig(String policyName, @Nullable Object config) {
  public LoadBalancingConfig {
    Objects.requireNonNull(policyName, "policyName");
  }
}
