package dev.grpcspring.transport.inprocess;

import dev.grpcspring.Attributes;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.channelz.SocketStats;
import dev.grpcspring.channelz.SocketView;
import dev.grpcspring.inprocess.InProcessSocketAddress;
import dev.grpcspring.internal.SerializingExecutor;
import dev.grpcspring.transport.ClientStreamListener.RpcProgress;
import dev.grpcspring.transport.ClientStreamListener;
import dev.grpcspring.transport.ClientTransport;
import dev.grpcspring.transport.ClientTransportListener;
import dev.grpcspring.transport.ClientTransportOptions;
import dev.grpcspring.transport.ServerTransport;
import dev.grpcspring.transport.ServerTransportListener;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A client's connection to a server in this JVM, found by name when it starts. There is no socket
 * and no event loop: each stream hands framed messages straight to the peer's deframer and
 * metadata as {@link Metadata} objects, with the limits, flow-control allowance and status
 * semantics of the HTTP/2 transport. The connection's server side is {@link #serverTransport()}.
 *
 * <p>Life events reach the {@link ClientTransportListener} in order on the options' offload
 * executor, as they would come from an event loop.
 */
public final class InProcessClientTransport implements ClientTransport {
  private final InProcessSocketAddress address;
  private final String authority;
  private final ClientTransportOptions options;
  private final ClientTransportListener listener;
  private final Attributes attributes;
  /** Runs the listener's events one at a time, in order, off the caller's thread. */
  private final SerializingExecutor events;
  private final SocketStats clientStats = new SocketStats();
  private final SocketStats serverStats = new SocketStats();
  private final SocketView clientView;
  private final SocketView serverView;
  private final ServerSide serverSide = new ServerSide();

  // Guarded by this.
  private InProcessBinding.@Nullable Options serverOptions;
  private @Nullable ServerTransportListener serverListener;
  private final Set<InProcessServerStream> streams = new HashSet<>();
  private boolean startCalled;
  private boolean connectDone;
  /** Takes no new streams: shut down by either side, or never connected. */
  private boolean closing;
  /** The server sent the GOAWAY equivalent: streams refused now were never seen by it. */
  private boolean serverGoAway;
  private boolean shutdownReported;
  private boolean terminated;

  /**
   * @param address the server's name
   * @param authority the default {@code :authority} of this connection's streams
   * @param options the client's limits (header list size, receive window), compressors, and the
   *     offload executor that carries life events and work a caller's thread must not run
   */
  public InProcessClientTransport(InProcessSocketAddress address, String authority,
      ClientTransportOptions options, ClientTransportListener listener) {
    this.address = Objects.requireNonNull(address, "address");
    this.authority = Objects.requireNonNull(authority, "authority");
    this.options = Objects.requireNonNull(options, "options");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.attributes = Attributes.newBuilder()
        .set(Attributes.REMOTE_ADDRESS, address)
        .set(Attributes.LOCAL_ADDRESS, address)
        .build();
    this.events = new SerializingExecutor(options.offloadExecutor());
    this.clientView = new InProcessSocketView(clientStats, address, address);
    this.serverView = new InProcessSocketView(serverStats, address, address);
  }

  @Override
  public void start() {
    synchronized (this) {
      if (startCalled) {
        throw new IllegalStateException("start() was already called");
      }
      startCalled = true;
    }
    events.execute(this::connect);
  }

  private void connect() {
    InProcessBinding binding = InProcessBinding.lookup(address.name());
    synchronized (this) {
      if (closing) {
        connectDone = true; // shut down before it connected
      }
    }
    if (connectDone) {
      maybeTerminate();
      return;
    }
    if (binding == null) {
      connectFailed(Status.UNAVAILABLE.withDescription("no in-process server named '"
          + address.name() + "'; start a server with that in-process name first"));
      return;
    }
    ServerTransportListener accepted;
    try {
      accepted = binding.acceptor().transportCreated(serverSide);
    } catch (RuntimeException e) {
      connectFailed(Status.UNAVAILABLE.withDescription("The in-process server '" + address.name()
          + "' failed to accept the connection: " + e).withCause(e));
      return;
    }
    if (accepted == null) {
      connectFailed(Status.UNAVAILABLE.withDescription(
          "The in-process server '" + address.name() + "' is shutting down"));
      return;
    }
    synchronized (this) {
      serverOptions = binding.options();
      serverListener = accepted;
      connectDone = true;
      if (!closing) {
        events.execute(listener::transportReady);
      }
    }
    maybeTerminate(); // the server may have shut the connection while accepting it
  }

  private void connectFailed(Status status) {
    synchronized (this) {
      connectDone = true;
      closing = true;
      reportShutdownLocked(status);
    }
    maybeTerminate();
  }

  @Override
  public InProcessClientStream newStream(ClientStreamListener streamListener,
      int maxReceiveMessageSize, boolean clientSendsOneMessage) {
    return new InProcessClientStream(this, streamListener, maxReceiveMessageSize);
  }

  /** {@link InProcessClientStream#start()}: hands the request to the server, or refuses it. */
  void startStream(InProcessClientStream client, List<CharSequence> headerFields) {
    int[] op = InProcessSerializer.enterClientOperation();
    try {
      InProcessServerStream.Request request = InProcessServerStream.Request.of(headerFields);
      InProcessServerStream server;
      ServerTransportListener l;
      InProcessBinding.Options serverOpts;
      Status refusal = null;
      RpcProgress progress = RpcProgress.NOT_SENT;
      synchronized (this) {
        serverOpts = serverOptions;
        l = serverListener;
        if (!connectDone || l == null) {
          refusal = Status.UNAVAILABLE.withDescription(
              "The in-process connection to '" + address.name() + "' is not connected");
        } else if (closing) {
          refusal = Status.UNAVAILABLE.withDescription(
              "The in-process connection to '" + address.name() + "' is shutting down");
          if (serverGoAway) {
            progress = RpcProgress.REFUSED;
          }
        }
        client.setServerWindow(serverOpts == null ? 0 : serverOpts.flowControlWindow());
        server = new InProcessServerStream(this, client, request, serverOpts);
        client.setPeer(server);
        if (refusal == null) {
          streams.add(server);
        }
      }
      if (refusal != null) {
        server.closeUnstarted();
        client.closeFromTransport(refusal, progress);
        return;
      }
      clientStats.localStreamStarted();
      // Not refused, so connected, and a connected transport has the server's listener.
      server.start(Objects.requireNonNull(l, "connected without a server listener"));
    } finally {
      InProcessSerializer.exitClientOperation(op);
    }
  }

  @Override
  public void shutdown(Status status) {
    int[] op = InProcessSerializer.enterClientOperation();
    try {
      synchronized (this) {
        closing = true;
        reportShutdownLocked(status);
      }
      maybeTerminate();
    } finally {
      InProcessSerializer.exitClientOperation(op);
    }
  }

  @Override
  public void shutdownNow(Status status) {
    int[] op = InProcessSerializer.enterClientOperation();
    try {
      shutdown(status);
      for (InProcessServerStream s : openStreams()) {
        s.client().cancelByTransport(status);
      }
    } finally {
      InProcessSerializer.exitClientOperation(op);
    }
  }

  @Override
  public Attributes attributes() {
    return attributes;
  }

  @Override
  public SocketView channelzView() {
    return clientView;
  }

  @Override
  public SocketAddress remoteAddress() {
    return address;
  }

  @Override
  public String authority() {
    return authority;
  }

  /** The server's side of this connection. */
  public ServerTransport serverTransport() {
    return serverSide;
  }

  @Override
  public String toString() {
    return "InProcessClientTransport{" + address + "}";
  }

  // ---- for the streams ----

  ClientTransportOptions options() {
    return options;
  }

  InProcessSocketAddress address() {
    return address;
  }

  SocketStats clientStats() {
    return clientStats;
  }

  SocketStats serverStats() {
    return serverStats;
  }

  /** A stream's server side ended: the connection no longer waits for it. */
  void streamEnded(InProcessServerStream stream) {
    synchronized (this) {
      if (!streams.remove(stream)) {
        return;
      }
    }
    maybeTerminate();
  }

  // ---- life cycle ----

  private synchronized List<InProcessServerStream> openStreams() {
    return new ArrayList<>(streams);
  }

  private void reportShutdownLocked(Status status) {
    if (!shutdownReported) {
      shutdownReported = true;
      events.execute(() -> listener.transportShutdown(status));
    }
  }

  private void maybeTerminate() {
    ServerTransportListener l;
    synchronized (this) {
      if (terminated || !closing || !connectDone || !streams.isEmpty()) {
        return;
      }
      terminated = true;
      l = serverListener;
      reportShutdownLocked(Status.UNAVAILABLE.withDescription("Connection closed"));
      events.execute(() -> {
        if (l != null) {
          l.transportTerminated();
        }
        listener.transportTerminated();
      });
    }
  }

  private void serverGracefulShutdown() {
    synchronized (this) {
      if (serverGoAway) {
        return;
      }
      serverGoAway = true;
      closing = true;
      reportShutdownLocked(Status.UNAVAILABLE.withDescription("The in-process server '"
          + address.name() + "' is shutting down and takes no new calls (GOAWAY)"));
    }
    maybeTerminate();
  }

  private void serverForceClose(Status status) {
    serverGracefulShutdown();
    for (InProcessServerStream s : openStreams()) {
      s.cancelByTransport(status);
    }
  }

  /** The connection as the server sees it. */
  private final class ServerSide implements ServerTransport {
    @Override
    public void gracefulShutdown() {
      serverGracefulShutdown();
    }

    @Override
    public void forceClose(Status status) {
      serverForceClose(status);
    }

    @Override
    public SocketView channelzView() {
      return serverView;
    }

    @Override
    public String toString() {
      return "InProcessServerTransport{" + address + "}";
    }
  }
}
