package dev.grpcspring.balancer;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Balancer builders by policy name (grpc-go's {@code balancer.Register}/{@code Get}). Names are
 * case-sensitive, as in service config. The {@linkplain #getDefaultRegistry() default registry}
 * holds {@code pick_first} and {@code round_robin}. Thread-safe.
 */
public final class BalancerRegistry {
  private static final BalancerRegistry DEFAULT = createDefault();

  private final @Nullable BalancerRegistry parent;
  private final Map<String, BalancerBuilder> builders = new ConcurrentHashMap<>();

  private BalancerRegistry(@Nullable BalancerRegistry parent) {
    this.parent = parent;
  }

  /** The process-wide registry. */
  public static BalancerRegistry getDefaultRegistry() {
    return DEFAULT;
  }

  /** An empty registry. */
  public static BalancerRegistry newRegistry() {
    return new BalancerRegistry(null);
  }

  /** A registry layered over this one: its own builders first, then this one's. */
  public BalancerRegistry newChild() {
    return new BalancerRegistry(this);
  }

  /** Registers {@code builder} under its name, replacing any builder this registry had for it. */
  public BalancerRegistry register(BalancerBuilder builder) {
    Objects.requireNonNull(builder, "builder");
    String name = Objects.requireNonNull(builder.name(), "builder.name()");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("A balancer builder needs a non-empty name");
    }
    builders.put(name, builder);
    return this;
  }

  /** Removes {@code builder} if it is the one registered here under its name. */
  public void deregister(BalancerBuilder builder) {
    builders.remove(builder.name(), builder);
  }

  /** The builder named {@code name} here or in a parent, or null. */
  public @Nullable BalancerBuilder get(String name) {
    for (BalancerRegistry r = this; r != null; r = r.parent) {
      BalancerBuilder b = r.builders.get(name);
      if (b != null) {
        return b;
      }
    }
    return null;
  }

  private static BalancerRegistry createDefault() {
    BalancerRegistry r = newRegistry();
    r.register(new PickFirstBalancerBuilder());
    r.register(new RoundRobinBalancerBuilder());
    return r;
  }
}
