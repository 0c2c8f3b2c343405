package dev.grpcspring.client;

import dev.grpcspring.Attributes;
import java.net.SocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * The other end of a call, as captured with {@link ClientCallOptions#withPeerCapture} (grpc-go's
 * {@code peer.Peer}).
 *
 * @param remoteAddress the server's address, or null when the transport does not know it
 * @param localAddress our side's address, or null when the transport does not know it
 * @param securityProtocol the channel's transport security ({@code insecure}, {@code tls})
 * @param transportAttributes everything the transport knows about the connection
 */
public record Peer(
    @Nullable SocketAddress remoteAddress,
    @Nullable SocketAddress localAddress,
    String securityProtocol,
    Attributes transportAttributes) {}
