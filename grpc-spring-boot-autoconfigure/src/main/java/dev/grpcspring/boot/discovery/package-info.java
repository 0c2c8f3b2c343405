/**
 * {@code discovery:///<serviceId>} channel targets resolved through Spring Cloud's {@code
 * DiscoveryClient}: {@link dev.grpcspring.boot.discovery.DiscoveryClientResolverBuilder}.
 */
@NullMarked
package dev.grpcspring.boot.discovery;

import org.jspecify.annotations.NullMarked;
