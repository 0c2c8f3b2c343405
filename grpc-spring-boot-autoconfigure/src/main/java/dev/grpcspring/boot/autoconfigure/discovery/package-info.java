/**
 * Auto-configuration of {@code discovery:///<serviceId>} channel targets when Spring Cloud's
 * {@code DiscoveryClient} is present.
 */
package dev.grpcspring.boot.autoconfigure.discovery;
