/**
 * Auto-configuration of {@code discovery:///<serviceId>} channel targets when Spring Cloud's
 * {@code DiscoveryClient} is present.
 */
@NullMarked
package dev.grpcspring.boot.autoconfigure.discovery;

import org.jspecify.annotations.NullMarked;
