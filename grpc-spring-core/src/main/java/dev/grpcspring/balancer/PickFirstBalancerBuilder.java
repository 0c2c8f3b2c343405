package dev.grpcspring.balancer;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Builds {@code pick_first} balancers, the default policy. Config: {@code {"shuffleAddressList":
 * true}} shuffles every new address list (A62).
 */
public final class PickFirstBalancerBuilder implements BalancerBuilder {
  public static final String NAME = "pick_first";

  private final Supplier<Random> random;

  /** Shuffles with {@link ThreadLocalRandom}. */
  public PickFirstBalancerBuilder() {
    this(ThreadLocalRandom::current);
  }

  /** Shuffles with {@code random}; for deterministic tests. */
  public PickFirstBalancerBuilder(Supplier<Random> random) {
    this.random = random;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Balancer build(BalancerClientConn clientConn) {
    return new PickFirstBalancer(clientConn, random);
  }

  /**
   * Parses {@code {"shuffleAddressList": bool}}; unknown fields are ignored.
   *
   * @throws IllegalArgumentException when shuffleAddressList is not a boolean
   */
  @Override
  public PickFirstConfig parseConfig(Map<String, ?> json) {
    if (json == null) {
      return PickFirstConfig.DEFAULT;
    }
    Object shuffle = json.get("shuffleAddressList");
    if (shuffle == null) {
      return PickFirstConfig.DEFAULT;
    }
    if (!(shuffle instanceof Boolean b)) {
      throw new IllegalArgumentException(
          "pick_first: shuffleAddressList must be a boolean, got " + shuffle);
    }
    return new PickFirstConfig(b);
  }

  /**
   * The {@code pick_first} config.
   *
   * @param shuffleAddressList shuffle each new address list before connecting
   */
  public record PickFirstConfig(boolean shuffleAddressList) {
    public static final PickFirstConfig DEFAULT = new PickFirstConfig(false);
  }
}
