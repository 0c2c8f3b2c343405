/**
 * HTTP CONNECT proxies for client connections (gRFC A1): which proxy, if any, carries a connection
 * to a given address ({@link dev.grpcspring.proxy.ProxyDetector}), from a dial option or from the
 * {@code grpc_proxy}, {@code https_proxy} and {@code no_proxy} environment variables. The
 * transport opens the tunnel; this package only decides. It depends on nothing else in the project.
 */
@NullMarked
package dev.grpcspring.proxy;

import org.jspecify.annotations.NullMarked;
