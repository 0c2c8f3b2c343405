/**
 * Auto-configuration of etcd naming from {@code grpc.etcd.*}: {@code etcd:///} channel targets and
 * server registration ({@code grpc.server.registration.*}).
 */
package dev.grpcspring.boot.autoconfigure.etcd;
