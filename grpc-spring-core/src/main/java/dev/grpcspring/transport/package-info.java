/**
 * HTTP/2 transports on Netty's codec, grpc-go's {@code internal/transport}: the client connection
 * ({@code Http2Client}, {@code http2Client}) with its streams, the server connection ({@code
 * Http2Server}, {@code http2Server}) with its streams, the {@code ControlBuffer} that batches writes
 * onto the event loop ({@code controlBuffer} and {@code loopyWriter}), settings and the preface,
 * flow control, keepalive and its enforcement, GOAWAY, TLS and HTTP CONNECT proxies. It moves
 * frames and bytes; what the bytes mean is the {@code protocol} package's. Knows neither the
 * client nor the server package. Not exported.
 */
@NullMarked
package dev.grpcspring.transport;

import org.jspecify.annotations.NullMarked;
