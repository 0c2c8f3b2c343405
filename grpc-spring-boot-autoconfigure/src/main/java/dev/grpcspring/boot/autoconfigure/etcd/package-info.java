/**
 * Auto-configuration of etcd naming from {@code grpc.etcd.*}: {@code etcd:///} channel targets and
 * server registration ({@code grpc.server.registration.*}).
 */
@NullMarked
package dev.grpcspring.boot.autoconfigure.etcd;

import org.jspecify.annotations.NullMarked;
