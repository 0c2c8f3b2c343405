package dev.grpcspring.transport;


import dev.grpcspring.Attributes;
import dev.grpcspring.Status;
import dev.grpcspring.channelz.FlowControlWindows;
import dev.grpcspring.channelz.SocketSecurity;
import dev.grpcspring.channelz.SocketStats;
import dev.grpcspring.channelz.SocketView;
import dev.grpcspring.credentials.TlsChannelCredentials;
import dev.grpcspring.proxy.HttpConnectProxy;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * A client HTTP/2 connection to one address (grpc-go's {@code http2Client}; grpc-java's
 * {@code NettyClientTransport}), pinned to one event
 * loop. {@link #start()} connects; the {@link ClientTransportListener} hears when it is ready (the
 * server's SETTINGS arrived), when it stops taking streams, and when it is gone. Streams are opened
 * with {@link #newStream}; all writes go through one {@link ControlBuffer}, flushed once per drain.
 */
public final class Http2Client implements ClientTransport {
  private final SocketAddress address;
  private final String authority;
  private final ClientTransportOptions options;
  private final ClientTransportListener listener;
  private final Http2ClientHandler handler;
  private volatile @Nullable Channel channel;
  private volatile @Nullable ControlBuffer controlBuf;
  private volatile Attributes attributes = Attributes.EMPTY;
  private final AtomicBoolean shutdownReported = new AtomicBoolean();
  private final AtomicBoolean terminated = new AtomicBoolean();
  private final SocketStats stats = SocketStats.forOneWriter();
  private final SocketView channelzView = new ChannelzView();

  /**
   * @param address where to connect; an unresolved {@link InetSocketAddress} is looked up on the
   *     options' offload executor, never on the event loop
   * @param authority the default {@code :authority} of this connection's streams
   */
  public Http2Client(SocketAddress address, String authority, ClientTransportOptions options,
      ClientTransportListener listener) {
    this.address = Objects.requireNonNull(address, "address");
    this.authority = Objects.requireNonNull(authority, "authority");
    this.options = Objects.requireNonNull(options, "options");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.handler = Http2ClientHandler.create(this, options);
  }

  /**
   * Connects, through an HTTP CONNECT proxy when the options' proxy detector names one for this
   * address. Failures reach the listener (shutdown, then terminated); this never throws.
   */
  public void start() {
    if (address instanceof InetSocketAddress inet) {
      HttpConnectProxy proxy;
      try {
        proxy = options.proxyDetector().proxyFor(inet);
      } catch (RuntimeException e) {
        failBeforeConnect(Status.UNAVAILABLE.withDescription(
            "Choosing a proxy for " + address + " failed: " + e).withCause(e));
        return;
      }
      if (proxy != null) {
        // The proxy resolves the target: its host goes into CONNECT as the resolver gave it.
        String host = inet.getHostString();
        String tunnelTarget = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        resolveThen(proxy.address(), "proxy " + proxy, proxyAddress -> connect(proxyAddress,
            new HttpConnectHandler(proxy, tunnelTarget, pipeline(), this::reportShutdown,
                this::reportTerminated)));
        return;
      }
      if (inet.isUnresolved()) {
        resolveThen(inet, "host " + inet.getHostString(), resolved -> connect(resolved, null));
        return;
      }
    }
    connect(address, null);
  }

  /** Looks {@code inet} up (on the offload executor unless it is an IP literal), then connects. */
  private void resolveThen(InetSocketAddress inet, String what,
      java.util.function.Consumer<InetSocketAddress> connect) {
    if (!inet.isUnresolved()) {
      connect.accept(inet);
      return;
    }
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(inet.getHostString());
    if (literal != null) {
      try {
        // An IP literal needs no lookup.
        connect.accept(new InetSocketAddress(InetAddress.getByAddress(literal), inet.getPort()));
      } catch (UnknownHostException e) {
        failBeforeConnect(Status.UNAVAILABLE.withDescription(
            "Bad IP address " + inet.getHostString() + ": " + e.getMessage()).withCause(e));
      }
      return;
    }
    options.offloadExecutor().execute(() -> {
      try {
        InetAddress resolved = InetAddress.getByName(inet.getHostString());
        connect.accept(new InetSocketAddress(resolved, inet.getPort()));
      } catch (UnknownHostException e) {
        failBeforeConnect(Status.UNAVAILABLE.withDescription(
            "Unable to resolve " + what + ": " + e.getMessage()).withCause(e));
      } catch (RuntimeException e) {
        failBeforeConnect(Status.UNAVAILABLE.withDescription(
            "Failed to connect to " + address + ": " + e).withCause(e));
      }
    });
  }

  /** @param tunnel opens the proxy tunnel first, or null for a direct connection */
  private void connect(SocketAddress target, @Nullable HttpConnectHandler tunnel) {
    SocketAddress resolved;
    try {
      resolved = NativeTransport.adapt(options.group(), target);
    } catch (IllegalArgumentException e) {
      failBeforeConnect(Status.UNAVAILABLE.withDescription(e.getMessage()));
      return;
    }
    Class<? extends Channel> type;
    if (resolved instanceof InetSocketAddress && options.channelType() != null) {
      type = options.channelType();
    } else {
      // Unix sockets always, and TCP unless the caller named a class with its own group.
      type = NativeTransport.channelType(options.group(), resolved);
    }
    Bootstrap b = new Bootstrap()
        .group(options.group())
        .channel(type)
        .option(ChannelOption.ALLOCATOR, ByteBufAllocator.DEFAULT)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.max(1, options.connectTimeoutMillis()))
        .handler(tunnel == null ? pipeline() : tunnel);
    if (resolved instanceof InetSocketAddress) {
      b.option(ChannelOption.TCP_NODELAY, true);
    }
    SocketAddress connectTo = resolved;
    ChannelFuture f;
    try {
      f = b.register();
    } catch (RuntimeException e) {
      failBeforeConnect(Status.UNAVAILABLE.withDescription(
          "Failed to create a channel for " + address + ": " + e).withCause(e));
      return;
    }
    Channel ch = f.channel();
    this.controlBuf = new ControlBuffer(ch);
    this.channel = ch;
    f.addListener(reg -> {
      if (!reg.isSuccess()) {
        failBeforeConnect(Status.UNAVAILABLE.withDescription(
            "Failed to register a channel for " + address + ": " + reg.cause()).withCause(reg.cause()));
        return;
      }
      ch.connect(connectTo).addListener((ChannelFuture cf) -> {
        if (cf.isSuccess()) {
          attributes = Attributes.newBuilder()
              .set(Attributes.REMOTE_ADDRESS, ch.remoteAddress())
              .set(Attributes.LOCAL_ADDRESS, ch.localAddress())
              .build();
        } else {
          // The handler never saw the channel become active: report here; closing the channel
          // makes the handler report termination.
          handlerFailConnect(Status.UNAVAILABLE.withDescription(
              "Failed to connect to " + (tunnel == null ? address
                  : "HTTP CONNECT proxy at " + connectTo + " (for " + tunnel.target() + ")")
                  + ": " + cf.cause().getMessage()).withCause(cf.cause()));
          ch.close();
        }
      });
    });
  }

  /** The HTTP/2 handler, behind TLS when the credentials say so (their current context). */
  private ChannelHandler pipeline() {
    if (options.credentials() instanceof TlsChannelCredentials tls) {
      return TlsPipeline.clientInitializer(tls, authority, address, handler,
          this::tlsEstablished);
    }
    return handler;
  }

  /** On the event loop, after the handshake and ALPN check, before the server's SETTINGS. */
  private void tlsEstablished(SSLSession session) {
    // The handshake runs on the channel, which is set before it connects.
    Channel ch = Objects.requireNonNull(channel, "no channel");
    attributes = TlsPipeline.withSession(Attributes.newBuilder()
        .set(Attributes.REMOTE_ADDRESS, ch.remoteAddress())
        .set(Attributes.LOCAL_ADDRESS, ch.localAddress())
        .build(), session);
  }

  private void handlerFailConnect(Status status) {
    // channelInactive is not fired for a channel that never became active, so close it out here.
    reportShutdown(status);
    reportTerminated();
  }

  private void failBeforeConnect(Status status) {
    reportShutdown(status);
    reportTerminated();
  }

  void reportReady() {
    if (!terminated.get() && !shutdownReported.get()) {
      listener.transportReady();
    }
  }

  void reportShutdown(Status status) {
    if (shutdownReported.compareAndSet(false, true)) {
      listener.transportShutdown(status);
    }
  }

  void reportTerminated() {
    if (terminated.compareAndSet(false, true)) {
      reportShutdown(Status.UNAVAILABLE.withDescription("Connection closed"));
      listener.transportTerminated();
    }
  }

  /**
   * Makes a stream for one call; the caller writes its request headers into it, and its {@link
   * Http2ClientStream#start()} queues them for the next write batch. Never fails: a transport that
   * can take no more streams closes the stream with UNAVAILABLE (REFUSED, so the call can be
   * retried elsewhere).
   *
   * @param maxReceiveMessageSize the receive limit for this stream's messages
   * @param clientSendsOneMessage whether the call sends one request (unary, server streaming):
   *     then headers, message and request(n) wait for the half-close and leave in one write
   */
  public Http2ClientStream newStream(ClientStreamListener streamListener,
      int maxReceiveMessageSize, boolean clientSendsOneMessage) {
    return new Http2ClientStream(this, streamListener, maxReceiveMessageSize, clientSendsOneMessage);
  }

  /** Takes no new streams; closes once the open ones finish. */
  public void shutdown(Status status) {
    Channel ch = channel;
    if (ch == null) {
      return; // not connected yet: the connect path reports the outcome
    }
    ch.eventLoop().execute(() -> handler.shutdown(status));
  }

  /** Fails every open stream with {@code status} and closes now. */
  public void shutdownNow(Status status) {
    Channel ch = channel;
    if (ch == null) {
      return;
    }
    ch.eventLoop().execute(() -> handler.shutdownNow(status));
  }

  /** The remote and local addresses once connected; the TLS session and security level on TLS. */
  public Attributes attributes() {
    return attributes;
  }

  /** The connection as channelz sees it: counters, addresses and flow-control windows. */
  public SocketView channelzView() {
    return channelzView;
  }

  /** Where this transport connects. */
  public SocketAddress remoteAddress() {
    return address;
  }

  /** The default {@code :authority} of this transport's streams. */
  public String authority() {
    return authority;
  }

  ClientTransportOptions options() {
    return options;
  }

  Http2ClientHandler handler() {
    return handler;
  }

  ControlBuffer controlBuf() {
    // Set when the channel is created; streams (the only callers) come once it is connected.
    return Objects.requireNonNull(controlBuf, "no stream before the transport is connected");
  }

  ByteBufAllocator alloc() {
    Channel ch = channel;
    return ch != null ? ch.alloc() : ByteBufAllocator.DEFAULT;
  }

  @Override
  public String toString() {
    return "Http2Client{" + address + ", " + channel + "}";
  }

  SocketStats stats() {
    return stats;
  }

  private final class ChannelzView implements SocketView {
    @Override
    public SocketStats stats() {
      return stats;
    }

    @Override
    public @Nullable SocketAddress localAddress() {
      Channel ch = channel;
      return ch == null ? null : ch.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
      Channel ch = channel;
      SocketAddress connected = ch == null ? null : ch.remoteAddress();
      return connected != null ? connected : address;
    }

    @Override
    public Map<String, String> socketOptions() {
      return SocketOptions.of(channel);
    }

    @Override
    public @Nullable SocketSecurity security() {
      return options.credentials() instanceof TlsChannelCredentials tls
          ? TlsPipeline.security(attributes, tls.provider().name()) : null;
    }

    @Override
    public CompletableFuture<FlowControlWindows> flowControlWindows() {
      Channel ch = channel;
      if (ch == null || !ch.isActive()) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<FlowControlWindows> f = new CompletableFuture<>();
      try {
        ch.eventLoop().execute(() -> f.complete(handler.flowControlWindows()));
      } catch (RejectedExecutionException e) {
        f.complete(null); // the event loop is shutting down: the connection is gone
      }
      return f;
    }
  }
}
