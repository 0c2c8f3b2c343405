/**
 * The in-process transport, for servers on a
 * {@link dev.grpcspring.inprocess.InProcessSocketAddress}: client and server streams that hand
 * messages and metadata over within one JVM, with the same flow control, limits and metadata
 * rules as HTTP/2 (grpc-java's {@code io.grpc.inprocess}). Not exported.
 */
@NullMarked
package dev.grpcspring.transport.inprocess;

import org.jspecify.annotations.NullMarked;
