/**
 * Service config (the gRPC service-config spec, grpc-go's {@code serviceconfig}): a typed,
 * immutable {@link dev.grpcspring.serviceconfig.ServiceConfig} built in code or parsed from JSON,
 * with per-method {@link dev.grpcspring.serviceconfig.MethodConfig} (timeouts, message limits,
 * wait-for-ready, retry and hedging policies), retry throttling and the load-balancing config.
 */
@NullMarked
package dev.grpcspring.serviceconfig;

import org.jspecify.annotations.NullMarked;
