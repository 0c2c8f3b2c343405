/**
 * Per-call metrics and traces through Micrometer's Observation API: {@code grpc.server} and
 * {@code grpc.client} observations made by a server and a client interceptor.
 */
@NullMarked
package dev.grpcspring.boot.observation;

import org.jspecify.annotations.NullMarked;
