package dev.grpcspring.balancer;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Makes balancers of one policy; registered by name in a {@link BalancerRegistry}. */
public interface BalancerBuilder {
  /** The policy name used in service config ({@code pick_first}, {@code round_robin}). */
  String name();

  /** A new balancer for one channel. */
  Balancer build(BalancerClientConn clientConn);

  /**
   * Parses this policy's config from its JSON object in {@code loadBalancingConfig}.
   *
   * @return the parsed config, or {@code null} for a policy that takes none (the default)
   * @throws IllegalArgumentException naming what is wrong
   */
  default @Nullable Object parseConfig(Map<String, ?> json) {
    return null;
  }
}
