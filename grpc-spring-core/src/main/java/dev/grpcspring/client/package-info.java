/**
 * The client channel, grpc-go's {@code clientconn.go}, {@code stream.go} and {@code
 * picker_wrapper.go}: {@link dev.grpcspring.client.ClientConn} dials a target with {@link
 * dev.grpcspring.client.DialOptions}, wraps the resolver ({@code ResolverWrapper}, grpc-go's
 * {@code ccResolverWrapper}) and the balancer ({@code BalancerWrapper}, {@code ccBalancerWrapper}),
 * keeps one {@code AddrConn} per subconnection with its connect backoff, and blocks picks in the
 * {@code PickerWrapper} until a ready subconnection exists. A call ({@code ClientCallImpl},
 * grpc-go's {@code clientStream}) runs attempts ({@code CsAttempt}), retried or hedged by its
 * {@code AttemptDriver} under the service config.
 */
@NullMarked
package dev.grpcspring.client;

import org.jspecify.annotations.NullMarked;
