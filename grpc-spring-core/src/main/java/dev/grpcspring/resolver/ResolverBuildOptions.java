package dev.grpcspring.resolver;

import java.util.concurrent.ScheduledExecutorService;

/**
 * What a resolver may use from its channel.
 *
 * @param scheduler for timers and background work; never block it
 * @param defaultPort the port to use when the target names none (443 for dns)
 * @param disableServiceConfig whether the channel ignores service configs from resolvers
 */
public record ResolverBuildOptions(
    ScheduledExecutorService scheduler, int defaultPort, boolean disableServiceConfig) {}
