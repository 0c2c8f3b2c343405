package dev.grpcspring.balancer;

import dev.grpcspring.resolver.ResolverState;
import org.jspecify.annotations.Nullable;

/**
 * What the channel gives a balancer on every resolver update.
 *
 * @param resolverState the resolver's addresses and attributes
 * @param balancerConfig this policy's parsed config from the service config, or null
 */
public record ClientConnState(ResolverState resolverState, @Nullable Object balancerConfig) {}
