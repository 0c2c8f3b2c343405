package dev.grpcspring.balancer;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Metadata;

/**
 * What a picker knows about the call it picks for.
 *
 * @param fullMethodName {@code package.Service/Method}
 * @param headers the call's request metadata
 * @param callOptions the call's options
 */
public record PickInfo(String fullMethodName, Metadata headers, CallOptions callOptions) {}
