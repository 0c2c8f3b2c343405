/**
 * Building blocks shared by the client, server and transports and not meant for applications
 * (grpc-go's {@code internal}, grpc-java's {@code io.grpc.internal}): the elastic handler
 * executor, serializing executors and the callback serializer, exponential backoff, a CPU clock
 * and JSON reading and writing for service configs (on jackson-core). Not exported; its API may
 * change at any time.
 */
@NullMarked
package dev.grpcspring.internal;

import org.jspecify.annotations.NullMarked;
