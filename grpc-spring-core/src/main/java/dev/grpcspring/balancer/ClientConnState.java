package dev.grpcspring.balancer;

import dev.grpcspring.resolver.ResolverState;

/**
 * What the channel gives a balancer on every resolver update.
 *
 * @param resolverState the resolver's addresses and attributes
 * @param balancerConfig this policy's parsed config from the service config, or null
 */
public record ClientConnState(ResolverState resolverState, Object balancerConfig) {}
