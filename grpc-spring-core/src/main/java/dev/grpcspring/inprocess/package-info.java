/**
 * Addresses of servers in this JVM (grpc-java's {@code io.grpc.inprocess}): a server listens on an
 * {@link dev.grpcspring.inprocess.InProcessSocketAddress} and channels dial
 * {@code in-process:<name>}. The transport itself lives in the unexported
 * {@code dev.grpcspring.transport.inprocess}.
 */
@NullMarked
package dev.grpcspring.inprocess;

import org.jspecify.annotations.NullMarked;
