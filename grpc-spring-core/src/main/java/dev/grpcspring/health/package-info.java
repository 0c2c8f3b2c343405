/**
 * The standard gRPC health service ({@code grpc.health.v1.Health}): a {@link
 * dev.grpcspring.health.HealthStatusManager} holds the statuses and serves them through its
 * {@link dev.grpcspring.health.HealthService}.
 */
@NullMarked
package dev.grpcspring.health;

import org.jspecify.annotations.NullMarked;
