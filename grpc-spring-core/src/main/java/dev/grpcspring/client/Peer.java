package dev.grpcspring.client;

import dev.grpcspring.Attributes;
import java.net.SocketAddress;

/**
 * The other end of a call, as captured with {@link ClientCallOptions#withPeerCapture} (grpc-go's
 * {@code peer.Peer}).
 *
 * @param remoteAddress the server's address
 * @param localAddress our side's address
 * @param securityProtocol the channel's transport security ({@code insecure}, {@code tls})
 * @param transportAttributes everything the transport knows about the connection
 */
public record Peer(
    SocketAddress remoteAddress,
    SocketAddress localAddress,
    String securityProtocol,
    Attributes transportAttributes) {}
