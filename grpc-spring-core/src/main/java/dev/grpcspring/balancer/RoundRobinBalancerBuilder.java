package dev.grpcspring.balancer;

/** Builds {@code round_robin} balancers. The policy takes no config. */
public final class RoundRobinBalancerBuilder implements BalancerBuilder {
  public static final String NAME = "round_robin";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Balancer build(BalancerClientConn clientConn) {
    return new RoundRobinBalancer(clientConn);
  }
}
