/**
 * etcd as a naming service, with this library's own etcd v3 client: the {@code etcd:///<service>}
 * resolver ({@link dev.grpcspring.etcd.EtcdResolverBuilder}) and server registration under a lease
 * ({@link dev.grpcspring.etcd.EtcdRegistration}), both in grpc-go's key and value layout.
 */
@NullMarked
package dev.grpcspring.etcd;

import org.jspecify.annotations.NullMarked;
