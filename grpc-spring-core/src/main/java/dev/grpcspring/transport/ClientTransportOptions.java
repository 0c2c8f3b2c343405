package dev.grpcspring.transport;

import dev.grpcspring.codec.CompressorRegistry;
import dev.grpcspring.credentials.TransportCredentials;
import dev.grpcspring.proxy.ProxyDetector;
import io.netty.channel.EventLoopGroup;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * How a client transport connects and speaks HTTP/2.
 *
 * @param group the event loop group; each connection is pinned to one of its loops
 * @param channelType the socket channel class for TCP addresses on {@code group}, or null to pick
 *     the one that suits the group (see {@link NativeTransport})
 * @param credentials how connections are secured: TLS ({@code :scheme https}) or plaintext
 * @param connectTimeoutMillis how long the TCP connect may take
 * @param initialWindowSize the receive window of each stream
 * @param initialConnWindowSize the receive window of the connection
 * @param bdpPing whether the windows grow to the measured bandwidth-delay product
 *     ({@link BdpPinger})
 * @param maxHeaderListSize the largest header list accepted from the server
 * @param compressors the decompressors for response messages
 * @param offloadExecutor where blocking work (name lookup of unresolved addresses) runs, never an
 *     event loop
 * @param keepAlive the channel's keepalive settings, shared by its connections
 * @param proxyDetector which connections go through an HTTP CONNECT proxy
 */
public record ClientTransportOptions(
    EventLoopGroup group,
    @Nullable Class<? extends io.netty.channel.Channel> channelType,
    TransportCredentials credentials,
    int connectTimeoutMillis,
    int initialWindowSize,
    int initialConnWindowSize,
    boolean bdpPing,
    int maxHeaderListSize,
    CompressorRegistry compressors,
    Executor offloadExecutor,
    ClientKeepAlive keepAlive,
    ProxyDetector proxyDetector) {
  public ClientTransportOptions {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(compressors, "compressors");
    Objects.requireNonNull(offloadExecutor, "offloadExecutor");
    Objects.requireNonNull(keepAlive, "keepAlive");
    Objects.requireNonNull(proxyDetector, "proxyDetector");
  }

  /** Options without keepalive or proxies. */
  public ClientTransportOptions(EventLoopGroup group,
      Class<? extends io.netty.channel.Channel> channelType, TransportCredentials credentials,
      int connectTimeoutMillis, int initialWindowSize, int initialConnWindowSize, boolean bdpPing,
      int maxHeaderListSize, CompressorRegistry compressors, Executor offloadExecutor) {
    this(group, channelType, credentials, connectTimeoutMillis, initialWindowSize,
        initialConnWindowSize, bdpPing, maxHeaderListSize, compressors, offloadExecutor,
        ClientKeepAlive.disabled(), ProxyDetector.none());
  }

  /** Whether connections are TLS ({@code :scheme https}). */
  public boolean secure() {
    return credentials.isSecure();
  }

  /** The same options with another connect timeout. */
  public ClientTransportOptions withConnectTimeoutMillis(int millis) {
    return new ClientTransportOptions(group, channelType, credentials, millis, initialWindowSize,
        initialConnWindowSize, bdpPing, maxHeaderListSize, compressors, offloadExecutor,
        keepAlive, proxyDetector);
  }
}
