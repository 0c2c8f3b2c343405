package dev.grpcspring.server;

import dev.grpcspring.Status;
import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.channelz.ServerEntity;
import dev.grpcspring.channelz.SocketEntity;
import dev.grpcspring.codec.CompressorRegistry;
import dev.grpcspring.credentials.ServerCredentials;
import dev.grpcspring.credentials.TlsServerCredentials;
import dev.grpcspring.inprocess.InProcessSocketAddress;
import dev.grpcspring.internal.ElasticExecutor;
import dev.grpcspring.transport.Http2Server;
import dev.grpcspring.transport.NativeTransport;
import dev.grpcspring.transport.ServerTransport;
import dev.grpcspring.transport.ServerTransportConfig;
import dev.grpcspring.transport.ServerTransportListener;
import dev.grpcspring.transport.TlsPipeline;
import dev.grpcspring.transport.inprocess.InProcessBinding;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A gRPC server: listens on its addresses, speaks HTTP/2 on every accepted connection, and runs
 * the registered services' handlers on its executor. An {@link InProcessSocketAddress} makes it
 * reachable in this JVM as {@code in-process:<name>}, with no socket; a server whose only
 * addresses are in-process creates no event loops either. Build one with {@link #builder()}, then
 * {@link #start()} it; stop it gracefully with {@link #shutdown()} or {@link #stop(Duration)}, or at
 * once with {@link #shutdownNow()}. Thread-safe.
 */
public final class Server implements AutoCloseable {
  private static final Logger log = Logger.getLogger(Server.class.getName());
  /** Handler threads in the default pool; they time out when idle. */
  static final int DEFAULT_EXECUTOR_THREADS = 200;
  private static final AtomicInteger serverIds = new AtomicInteger();
  /** How long shutdown() waits for a listening socket to close. */
  private static final long LISTENER_CLOSE_WAIT_MILLIS = 5_000;
  private static final Status SHUTDOWN_NOW_STATUS =
      Status.UNAVAILABLE.withDescription("The server is shutting down now");

  private final List<SocketAddress> addresses;
  private final List<ServerListener> listeners;
  private final List<ServerServiceDefinition> services;
  private final Map<String, ServerMethodDefinition<?, ?>> methods;
  private final Executor executor;
  private final boolean directExecutor;
  private final @Nullable ExecutorService ownedExecutor;
  private final @Nullable EventLoopGroup bossGroup;
  private final @Nullable EventLoopGroup workerGroup;
  private final boolean ownsGroups;
  private final @Nullable Class<? extends io.netty.channel.ServerChannel> channelType;
  private final ServerTransportConfig transportConfig;
  private final InProcessBinding.Options inProcessOptions;
  private final CompressorRegistry compressors;
  private final Channelz channelz;
  private final ServerCredentials credentials;
  /** Set at start; null before. */
  private volatile @Nullable ServerEntity channelzEntity;
  private final List<Runnable> shutdownHooks;

  private final Object lock = new Object();
  private final List<Channel> listenChannels = new ArrayList<>();
  /** The credentials of each listen channel, by position in {@link #listenChannels}. */
  private final List<ServerCredentials> listenCredentials = new ArrayList<>();
  private final List<InProcessListener> inProcessListeners = new ArrayList<>();
  private final Set<ServerTransport> connections = ConcurrentHashMap.newKeySet();
  private final CountDownLatch terminatedLatch = new CountDownLatch(1);
  private boolean started;
  private volatile boolean shutdown;
  private volatile boolean forcedShutdown;
  private boolean terminated;
  private int openListeners;

  Server(ServerBuilder b) {
    this.addresses = List.copyOf(b.addresses);
    this.listeners = b.listeners();
    this.services = List.copyOf(b.services);
    Map<String, ServerMethodDefinition<?, ?>> m = new HashMap<>();
    for (ServerServiceDefinition service : services) {
      for (ServerMethodDefinition<?, ?> def : service.intercept(b.interceptors).getMethods()) {
        String name = def.getMethodDescriptor().getFullMethodName();
        if (m.putIfAbsent(name, def) != null) {
          throw new IllegalStateException("Method " + name + " is registered twice");
        }
      }
    }
    this.methods = m;
    this.compressors = b.compressors;
    this.shutdownHooks = List.copyOf(b.shutdownHooks);
    int id = serverIds.incrementAndGet();
    this.directExecutor = b.directExecutor;
    if (b.directExecutor) {
      this.executor = Runnable::run;
      this.ownedExecutor = null;
    } else if (b.executor != null) {
      this.executor = b.executor;
      this.ownedExecutor = null;
    } else {
      ExecutorService pool = ElasticExecutor.create("grpc-server-executor-" + id,
          DEFAULT_EXECUTOR_THREADS, 60, TimeUnit.SECONDS);
      this.executor = pool;
      this.ownedExecutor = pool;
    }
    boolean sockets = addresses.stream().anyMatch(a -> !(a instanceof InProcessSocketAddress));
    if (b.bossGroup != null) {
      this.bossGroup = b.bossGroup;
      this.workerGroup = b.workerGroup;
      this.ownsGroups = false;
    } else if (!sockets) {
      // In-process only: nothing to accept or read, so no threads for it.
      this.bossGroup = null;
      this.workerGroup = null;
      this.ownsGroups = false;
    } else {
      IoHandlerFactory io = NativeTransport.ioHandlerFactory();
      this.bossGroup = new MultiThreadIoEventLoopGroup(1,
          new DefaultThreadFactory("grpc-server-boss-" + id, true), io);
      // One I/O thread per core unless told: Netty's default of two per core tripled the p99
      // with 1000 connections on 2 cores (threads preempting each other mid-read).
      int loops = b.eventLoopThreads > 0 ? b.eventLoopThreads
          : Runtime.getRuntime().availableProcessors();
      this.workerGroup = new MultiThreadIoEventLoopGroup(loops,
          new DefaultThreadFactory("grpc-server-worker-" + id, true), io);
      this.ownsGroups = true;
    }
    this.channelType = b.channelType;
    this.channelz = b.channelz;
    this.credentials = b.credentials;
    this.transportConfig = new ServerTransportConfig(b.maxInboundMessageSize,
        b.maxInboundMetadataSize, b.maxConcurrentStreams, b.initialFlowControlWindow, b.bdpPing,
        b.handshakeTimeout.toNanos(), b.compressors, b.connectionPolicy());
    this.inProcessOptions = new InProcessBinding.Options(b.maxInboundMessageSize,
        b.maxInboundMetadataSize, b.initialFlowControlWindow, b.compressors);
  }

  /** A builder; at least an address or port is required. */
  public static ServerBuilder builder() {
    return new ServerBuilder();
  }

  /**
   * Binds every address and starts accepting connections.
   *
   * @throws IOException if an address cannot be bound or another running server has an
   *     in-process name of this one (nothing stays bound then)
   * @throws IllegalStateException if already started or shut down
   */
  public Server start() throws IOException {
    synchronized (lock) {
      if (started || shutdown) {
        throw new IllegalStateException(shutdown ? "The server was shut down" : "Already started");
      }
      started = true;
      ServerEntity entity = channelz.addServer("Server" + addresses);
      channelzEntity = entity;
      // Null when every address is in-process (no event loops then).
      ServerBootstrap bootstrap = bossGroup == null ? null
          : new ServerBootstrap().group(bossGroup, workerGroup);
      for (ServerListener listener : listeners) {
        SocketAddress address = listener.address();
        if (address instanceof InProcessSocketAddress inProcess) {
          bindInProcess(inProcess, entity);
          continue;
        }
        // Not in-process, so the event loops and the bootstrap exist.
        ServerBootstrap socketBootstrap = Objects.requireNonNull(bootstrap, "no event loops");
        ChannelFuture f;
        try {
          f = bind(socketBootstrap.clone().childHandler(
              connectionInitializer(entity, listener.credentials())), address);
        } catch (IOException e) {
          shutdownNow();
          throw e;
        }
        if (!f.isSuccess()) {
          shutdownNow();
          Throwable cause = portInUse(f.cause());
          throw new IOException("Failed to bind to " + address + ": " + cause.getMessage(), cause);
        }
        Channel ch = f.channel();
        listenChannels.add(ch);
        listenCredentials.add(listener.credentials());
        openListeners++;
        SocketEntity listenSocket = channelz.addListenSocket(entity, ch.localAddress());
        ch.closeFuture().addListener(cf -> {
          listenSocket.close();
          listenerClosed();
        });
      }
      log.log(Level.FINE, "Server listening on {0}", getListenAddresses());
      return this;
    }
  }

  /** Sets up each connection accepted on a listener whose connections use {@code credentials}. */
  private ChannelInitializer<Channel> connectionInitializer(ServerEntity entity,
      ServerCredentials credentials) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        if (shutdown) {
          ch.close();
          return;
        }
        StreamDispatcher dispatcher = new StreamDispatcher(Server.this, entity.calls());
        Http2Server handler = Http2Server.create(dispatcher, transportConfig);
        dispatcher.setTransport(handler);
        if (credentials instanceof TlsServerCredentials tls) {
          TlsPipeline.addServerHandlers(ch, tls, handler);
        } else {
          ch.pipeline().addLast(handler);
        }
        dispatcher.setSocket(channelz.addServerSocket(entity,
            String.valueOf(ch.remoteAddress()), handler.channelzView()));
        // Added once its context exists, so shutdown can always reach it.
        connections.add(handler);
        // A shutdown that ran between the check above and the add did not see it.
        if (forcedShutdown) {
          handler.forceClose(SHUTDOWN_NOW_STATUS);
        } else if (shutdown) {
          handler.gracefulShutdown();
        }
      }
    };
  }

  /** Claims an in-process name (under lock); a taken name stops the server, like a taken port. */
  private void bindInProcess(InProcessSocketAddress address, ServerEntity entity)
      throws IOException {
    InProcessBinding binding;
    try {
      binding = InProcessBinding.bind(address, inProcessOptions, t -> acceptInProcess(t, address));
    } catch (IOException e) {
      shutdownNow();
      throw e;
    }
    inProcessListeners.add(new InProcessListener(binding, channelz.addListenSocket(entity, address)));
    openListeners++;
  }

  /** A client connected in-process: the counterpart of a Netty channel's initializer. */
  private @Nullable ServerTransportListener acceptInProcess(ServerTransport transport,
      InProcessSocketAddress address) {
    ServerEntity entity = channelzEntity;
    if (shutdown || entity == null) {
      return null;
    }
    StreamDispatcher dispatcher = new StreamDispatcher(this, entity.calls());
    dispatcher.setTransport(transport);
    dispatcher.setSocket(channelz.addServerSocket(entity, String.valueOf(address),
        transport.channelzView()));
    connections.add(transport);
    // A shutdown that ran between the check above and the add did not see it.
    if (forcedShutdown) {
      transport.forceClose(SHUTDOWN_NOW_STATUS);
    } else if (shutdown) {
      transport.gracefulShutdown();
    }
    return dispatcher;
  }

  /** A bound in-process name and its channelz listen socket. */
  private record InProcessListener(InProcessBinding binding, SocketEntity socket) {}

  /** Whether this server has Netty event loop groups (owned or given); for tests. */
  boolean hasEventLoopGroups() {
    return bossGroup != null || workerGroup != null;
  }

  private ChannelFuture bind(ServerBootstrap bootstrap, SocketAddress address) throws IOException {
    // Only socket addresses are bound here, and a server with any has its event loops.
    EventLoopGroup boss = Objects.requireNonNull(bossGroup, "no event loops");
    SocketAddress local;
    try {
      local = NativeTransport.adapt(boss, address);
    } catch (IllegalArgumentException e) {
      throw new IOException("Cannot listen on " + address + ": " + e.getMessage(), e);
    }
    boolean tcp = local instanceof InetSocketAddress;
    ServerBootstrap b = bootstrap.clone().channel(channelType != null && tcp ? channelType
        : NativeTransport.serverChannelType(boss, local));
    if (tcp) {
      b.option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.SO_KEEPALIVE, true);
    }
    return b.bind(local).awaitUninterruptibly();
  }

  /**
   * The epoll transport reports a taken port as a plain native IOException; give callers the
   * {@link BindException} NIO gives, so "port in use" is recognisable on both.
   */
  private static Throwable portInUse(Throwable cause) {
    if (!(cause instanceof BindException) && cause instanceof IOException
        && String.valueOf(cause.getMessage()).contains("Address already in use")) {
      BindException bind = new BindException(cause.getMessage());
      bind.initCause(cause);
      return bind;
    }
    return cause;
  }

  /** The port of the first address after {@link #start()}, or -1 before. */
  public int getPort() {
    synchronized (lock) {
      for (Channel ch : listenChannels) {
        if (ch.localAddress() instanceof InetSocketAddress a) {
          return a.getPort();
        }
      }
      return -1;
    }
  }

  /**
   * The bound addresses (with real ports, and the in-process names) after {@link #start()}; empty
   * before.
   */
  public List<SocketAddress> getListenAddresses() {
    synchronized (lock) {
      List<SocketAddress> out = new ArrayList<>();
      for (Channel ch : listenChannels) {
        out.add(ch.localAddress());
      }
      for (InProcessListener l : inProcessListeners) {
        out.add(l.binding().address());
      }
      return Collections.unmodifiableList(out);
    }
  }

  /**
   * Each bound address (with real ports, then the in-process names, as
   * {@link #getListenAddresses()}) with how its connections are secured, after {@link #start()};
   * empty before.
   */
  public List<ServerListener> getListeners() {
    synchronized (lock) {
      List<ServerListener> out = new ArrayList<>();
      for (int i = 0; i < listenChannels.size(); i++) {
        out.add(new ServerListener(listenChannels.get(i).localAddress(), listenCredentials.get(i)));
      }
      for (InProcessListener l : inProcessListeners) {
        out.add(new ServerListener(l.binding().address(), ServerCredentials.insecure()));
      }
      return Collections.unmodifiableList(out);
    }
  }

  /** This server in channelz (its id, call counters and sockets), or null before {@link #start()}. */
  public @Nullable ServerEntity channelz() {
    return channelzEntity;
  }

  /**
   * How this server secures connections on addresses given no credentials of their own (see
   * {@link #getListeners()} for each address).
   */
  public ServerCredentials credentials() {
    return credentials;
  }

  /** The registered services. */
  public List<ServerServiceDefinition> getServices() {
    return services;
  }

  /**
   * Starts a graceful shutdown: stops accepting connections, sends every connection GOAWAY (first
   * with the highest stream id, then, after a PING round trip, the real last one) and lets calls in
   * flight finish. New calls are refused. The builder's shutdown hooks run first.
   */
  public Server shutdown() {
    List<Channel> toClose;
    List<InProcessListener> namesToFree;
    synchronized (lock) {
      if (shutdown) {
        return this;
      }
      shutdown = true;
    }
    runShutdownHooks();
    synchronized (lock) {
      toClose = new ArrayList<>(listenChannels);
      namesToFree = new ArrayList<>(inProcessListeners);
    }
    for (Channel ch : toClose) {
      ChannelFuture closed = ch.close();
      // When shutdown() returns, the port refuses new connections (callers such as a Spring
      // context's graceful stop rely on it); an event loop never waits on itself.
      if (!ch.eventLoop().inEventLoop()) {
        closed.awaitUninterruptibly(LISTENER_CLOSE_WAIT_MILLIS);
      }
    }
    for (InProcessListener l : namesToFree) {
      // New in-process clients find no server from now on; connections made stay until drained.
      l.binding().close();
      l.socket().close();
      listenerClosed();
    }
    for (ServerTransport c : connections) {
      c.gracefulShutdown();
    }
    checkTerminated();
    return this;
  }

  /** Shuts down and cancels every call in flight (handlers see onCancel); connections close. */
  public Server shutdownNow() {
    forcedShutdown = true;
    shutdown();
    for (ServerTransport c : connections) {
      c.forceClose(SHUTDOWN_NOW_STATUS);
    }
    return this;
  }

  /**
   * Shuts down gracefully, waits up to {@code gracePeriod} for calls to finish, then cancels the
   * rest and waits (briefly) for the connections to close.
   *
   * @return whether the server terminated
   */
  public boolean stop(Duration gracePeriod) {
    shutdown();
    try {
      if (awaitTermination(gracePeriod.toNanos(), TimeUnit.NANOSECONDS)) {
        return true;
      }
      shutdownNow();
      return awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      shutdownNow();
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether a shutdown has begun. */
  public boolean isShutdown() {
    return shutdown;
  }

  /** Whether the server is shut down and every connection has closed. */
  public boolean isTerminated() {
    return terminatedLatch.getCount() == 0;
  }

  /** Waits for termination; returns whether it happened in time. */
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminatedLatch.await(timeout, unit);
  }

  /** Waits for termination; returns whether it happened in time. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Waits for termination with no time limit. */
  public void awaitTermination() throws InterruptedException {
    terminatedLatch.await();
  }

  /** {@link #shutdownNow()} and wait up to 10 s for the connections to close. */
  @Override
  public void close() {
    shutdownNow();
    try {
      if (!awaitTermination(10, TimeUnit.SECONDS)) {
        log.warning("Server did not terminate within 10 s of shutdownNow");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "Server" + getListenAddresses();
  }

  private void runShutdownHooks() {
    for (Runnable hook : shutdownHooks) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        log.log(Level.WARNING, "A shutdown hook failed; shutting down anyway", e);
      }
    }
  }

  // ---- for the dispatcher ----

  @Nullable ServerMethodDefinition<?, ?> lookupMethod(String fullMethodName) {
    return methods.get(fullMethodName);
  }

  Executor executor() {
    return executor;
  }

  /** Whether handlers run on the event loop ({@link ServerBuilder#directExecutor()}). */
  boolean isDirectExecutor() {
    return directExecutor;
  }

  CompressorRegistry compressors() {
    return compressors;
  }

  void connectionClosed(@Nullable ServerTransport transport) {
    if (transport != null) {
      connections.remove(transport);
    }
    checkTerminated();
  }

  private void listenerClosed() {
    synchronized (lock) {
      openListeners--;
    }
    checkTerminated();
  }

  private void checkTerminated() {
    synchronized (lock) {
      if (!shutdown || terminated || openListeners > 0 || !connections.isEmpty()) {
        return;
      }
      terminated = true;
    }
    ServerEntity entity = channelzEntity;
    if (entity != null) {
      entity.close();
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
    EventLoopGroup boss = bossGroup;
    EventLoopGroup worker = workerGroup;
    // Owned groups always exist; the null checks only say so to the compiler.
    if (ownsGroups && boss != null && worker != null) {
      // NIO closes a listening socket for real only when its selector runs again, after the
      // channel's close future has fired. Waiting for the boss loop to end means the port is
      // free once the server reports terminated (a restart on the same port then binds).
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      worker.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      boss.terminationFuture().addListener(f -> terminatedLatch.countDown());
    } else {
      terminatedLatch.countDown();
    }
  }
}
