/**
 * Name resolution, grpc-go's {@code resolver} package: a {@link
 * dev.grpcspring.resolver.Target} parsed from the dial target selects a {@link
 * dev.grpcspring.resolver.ResolverBuilder} by scheme in the {@link
 * dev.grpcspring.resolver.ResolverRegistry} ({@code passthrough} by default, {@code dns}, {@code
 * unix}, {@code static}, {@code in-process}); its {@link dev.grpcspring.resolver.Resolver} reports
 * addresses and a service config to the channel through {@link
 * dev.grpcspring.resolver.ResolverClientConn}.
 */
@NullMarked
package dev.grpcspring.resolver;

import org.jspecify.annotations.NullMarked;
