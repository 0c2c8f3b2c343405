package dev.grpcspring.balancer;

import java.util.Map;

/** Makes balancers of one policy; registered by name in a {@link BalancerRegistry}. */
public interface BalancerBuilder {
  /** The policy name used in service config ({@code pick_first}, {@code round_robin}). */
  String name();

  /** A new balancer for one channel. */
  Balancer build(BalancerClientConn clientConn);

  /**
   * Parses this policy's config from its JSON object in {@code loadBalancingConfig}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  default Object parseConfig(Map<String, ?> json) {
    return null;
  }
}
