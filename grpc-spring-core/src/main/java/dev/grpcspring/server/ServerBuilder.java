package dev.grpcspring.server;

import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.codec.CompressorRegistry;
import dev.grpcspring.credentials.ServerCredentials;
import dev.grpcspring.inprocess.InProcessSocketAddress;
import dev.grpcspring.interceptor.ServerInterceptor;
import dev.grpcspring.transport.ServerConnectionPolicy;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Configures and builds a {@link Server}. Defaults follow grpc-java: 4 MiB inbound messages, 8 KiB
 * request headers, unlimited concurrent streams, a 1 MiB flow-control window, 120 s to complete the
 * HTTP/2 handshake, identity/gzip/deflate, and a bounded pool of daemon threads for handlers.
 */
public final class ServerBuilder {
  /** The default largest request message: 4 MiB. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 4 * 1024 * 1024;
  /** The default largest request header list: 8 KiB. */
  public static final int DEFAULT_MAX_INBOUND_METADATA_SIZE = 8 * 1024;
  /** The default flow-control window: 1 MiB. */
  public static final int DEFAULT_FLOW_CONTROL_WINDOW = 1024 * 1024;
  /** The default time a client has for its preface and SETTINGS. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(120);

  /** Addresses in the order added, each with its own credentials or null for the default. */
  final List<SocketAddress> addresses = new ArrayList<>();
  final List<ServerCredentials> addressCredentials = new ArrayList<>();
  final List<ServerServiceDefinition> services = new ArrayList<>();
  final List<ServerInterceptor> interceptors = new ArrayList<>();
  final List<Runnable> shutdownHooks = new ArrayList<>();
  @Nullable Executor executor;
  boolean directExecutor;
  int maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
  int maxInboundMetadataSize = DEFAULT_MAX_INBOUND_METADATA_SIZE;
  int maxConcurrentStreams = Integer.MAX_VALUE;
  int initialFlowControlWindow = DEFAULT_FLOW_CONTROL_WINDOW;
  boolean bdpPing = true;
  Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
  CompressorRegistry compressors = CompressorRegistry.getDefaultInstance();
  @Nullable EventLoopGroup bossGroup;
  @Nullable EventLoopGroup workerGroup;
  @Nullable Class<? extends ServerChannel> channelType;
  /** I/O threads of the server's own worker group; 0 for one per core. */
  int eventLoopThreads;
  Channelz channelz = Channelz.getDefault();
  ServerCredentials credentials = ServerCredentials.insecure();
  private static final ServerConnectionPolicy DEFAULT_POLICY = ServerConnectionPolicy.DEFAULT;
  long keepAliveTimeNanos = DEFAULT_POLICY.keepAliveTimeNanos();
  long keepAliveTimeoutNanos = DEFAULT_POLICY.keepAliveTimeoutNanos();
  long permitKeepAliveTimeNanos = DEFAULT_POLICY.permitKeepAliveTimeNanos();
  boolean permitKeepAliveWithoutCalls = DEFAULT_POLICY.permitKeepAliveWithoutCalls();
  long maxConnectionIdleNanos = DEFAULT_POLICY.maxConnectionIdleNanos();
  long maxConnectionAgeNanos = DEFAULT_POLICY.maxConnectionAgeNanos();
  long maxConnectionAgeGraceNanos = DEFAULT_POLICY.maxConnectionAgeGraceNanos();
  int maxRstFramesPerWindow = DEFAULT_POLICY.maxRstFramesPerWindow();
  long rstWindowNanos = DEFAULT_POLICY.rstWindowNanos();
  int maxQueuedControlFrames = DEFAULT_POLICY.maxQueuedControlFrames();

  ServerBuilder() {}

  /** Listens on {@code port} on every local interface; 0 picks a free port. */
  public ServerBuilder port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Port " + port + " is not in 0-65535");
    }
    return address(new InetSocketAddress(port));
  }

  /**
   * Listens on {@code address} (may be called more than once): a TCP {@code InetSocketAddress}
   * (port 0 picks a free port), a Unix domain socket as {@code UnixDomainSocketAddress} or
   * Netty's {@code DomainSocketAddress} (abstract names, starting with NUL, need epoll), or an
   * {@link InProcessSocketAddress}, reached in this JVM as {@code in-process:<name>} without a
   * socket. A server whose only addresses are in-process opens no socket and creates no event
   * loops; {@link Server#start()} fails with an IOException if another running server has the
   * name.
   */
  public ServerBuilder address(SocketAddress address) {
    addresses.add(Objects.requireNonNull(address, "address"));
    addressCredentials.add(null);
    return this;
  }

  /**
   * Listens on {@code address} (as {@link #address(SocketAddress)}) and secures the connections
   * accepted there with {@code credentials} instead of the server's {@link #credentials default}.
   * Every listener serves the same services; a server may, for example, take plaintext on a Unix
   * socket from a sidecar and TLS on a TCP port.
   *
   * @throws IllegalArgumentException for secure credentials on an in-process address, which has
   *     no TLS
   */
  public ServerBuilder address(SocketAddress address, ServerCredentials credentials) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(credentials, "credentials");
    if (address instanceof InProcessSocketAddress && credentials.isSecure()) {
      throw new IllegalArgumentException("In-process address " + address + " has no TLS: give it "
          + "ServerCredentials.insecure() or no credentials of its own");
    }
    addresses.add(address);
    addressCredentials.add(credentials);
    return this;
  }

  /**
   * Listens in-process under {@code name}: clients in this JVM dial {@code in-process:<name>}.
   * Short for {@code address(new InProcessSocketAddress(name))}; may be combined with network
   * addresses.
   */
  public ServerBuilder inProcessName(String name) {
    return address(new InProcessSocketAddress(name));
  }

  /** Serves a service implementation (a generated {@code ImplBase} is one). */
  public ServerBuilder registerService(BindableService service) {
    return registerService(Objects.requireNonNull(service, "service").bindService());
  }

  /** Serves a service definition. */
  public ServerBuilder registerService(ServerServiceDefinition service) {
    services.add(Objects.requireNonNull(service, "service"));
    return this;
  }

  /**
   * Adds a global interceptor. Interceptors see each call in the order added: the first one added
   * runs first, the service's handler last.
   */
  public ServerBuilder intercept(ServerInterceptor interceptor) {
    interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
    return this;
  }

  /**
   * How connections accepted on addresses without credentials of their own are secured:
   * {@code TlsServerCredentials} for TLS; plaintext ({@link ServerCredentials#insecure()}) by
   * default. In-process addresses never use TLS.
   */
  public ServerBuilder credentials(ServerCredentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    return this;
  }

  /**
   * Runs {@code hook} once when the server starts shutting down, before it stops accepting
   * connections and sends GOAWAY, on the thread that called {@link Server#shutdown()} (or
   * {@code shutdownNow}, {@code stop}, {@code close}). Hooks run in the order added; one that
   * throws is logged and the others still run. A health manager's {@code enterTerminalState} is
   * the typical hook: clients see NOT_SERVING while the calls in flight drain.
   */
  public ServerBuilder addShutdownHook(Runnable hook) {
    shutdownHooks.add(Objects.requireNonNull(hook, "hook"));
    return this;
  }

  /**
   * Runs handlers on {@code executor}, which the server does not shut down. Callbacks of one call
   * still run one at a time.
   */
  public ServerBuilder executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.directExecutor = false;
    return this;
  }

  /**
   * Runs handlers on the connection's event loop: lowest latency, but a handler that blocks stalls
   * every call on its connection. Only for handlers that never block.
   */
  public ServerBuilder directExecutor() {
    this.executor = null;
    this.directExecutor = true;
    return this;
  }

  /** The largest request message accepted (after decompression); larger is RESOURCE_EXHAUSTED. */
  public ServerBuilder maxInboundMessageSize(int bytes) {
    this.maxInboundMessageSize = positive(bytes, "maxInboundMessageSize");
    return this;
  }

  /** The largest request header list (HTTP 431 + RESOURCE_EXHAUSTED beyond it). */
  public ServerBuilder maxInboundMetadataSize(int bytes) {
    this.maxInboundMetadataSize = positive(bytes, "maxInboundMetadataSize");
    return this;
  }

  /**
   * SETTINGS_MAX_CONCURRENT_STREAMS for each connection. Unlimited by default, as in grpc-java and
   * grpc-go: a limit makes well-behaved clients queue calls behind slow ones, while what a
   * hostile client can hold is bounded elsewhere (flow-control windows per stream, the header list
   * limit, and the rapid-reset limit of {@link #maxRstFramesPerWindow}). Set one when a connection
   * must not be able to run more handlers at once than the executor can take.
   */
  public ServerBuilder maxConcurrentStreams(int streams) {
    this.maxConcurrentStreams = positive(streams, "maxConcurrentStreams");
    return this;
  }

  /**
   * The HTTP/2 flow-control window, per stream and per connection (1 MiB by default). Setting it
   * fixes the window: it no longer grows with the bandwidth-delay product that BDP PINGs measure.
   */
  public ServerBuilder initialFlowControlWindow(int bytes) {
    this.initialFlowControlWindow = positive(bytes, "initialFlowControlWindow");
    this.bdpPing = false;
    return this;
  }

  /** How long a new connection has to send its preface and SETTINGS before it is closed. */
  public ServerBuilder handshakeTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("handshakeTimeout must be positive, not " + timeout);
    }
    this.handshakeTimeout = timeout;
    return this;
  }

  /** The request encodings understood and response encodings offered. */
  public ServerBuilder compressorRegistry(CompressorRegistry registry) {
    this.compressors = Objects.requireNonNull(registry, "registry");
    return this;
  }

  /**
   * Netty event loop groups to use instead of the server's own (epoll where Netty's native
   * transport loads, else NIO; see {@code NativeTransport}). The server does not shut these down.
   * Epoll and NIO groups get the matching channel class unless {@link #channelType} names one.
   */
  public ServerBuilder eventLoopGroups(EventLoopGroup boss, EventLoopGroup worker) {
    this.bossGroup = Objects.requireNonNull(boss, "boss");
    this.workerGroup = Objects.requireNonNull(worker, "worker");
    return this;
  }

  /**
   * How many I/O threads (Netty event loops) the server's own worker group runs; by default one
   * per core. Each connection stays on one of them for its life.
   *
   * <p>One per core keeps p99 low with many connections: with Netty's usual two per core, loops
   * preempt each other mid-read. With fewer connections than loops could serve and handlers on the
   * I/O threads ({@link #directExecutor()}), more loops than cores can answer more, since a
   * connection then waits for no other connection's reads (README's Benchmarks has the figures).
   * Not with {@link #eventLoopGroups}, whose worker group is sized by its creator.
   *
   * @param threads at least 1
   */
  public ServerBuilder eventLoopThreads(int threads) {
    this.eventLoopThreads = positive(threads, "eventLoopThreads");
    return this;
  }

  /**
   * The TCP server channel class for custom event loop groups of another transport; by default it
   * follows the groups (epoll or NIO). Unix socket addresses always follow the groups.
   */
  public ServerBuilder channelType(Class<? extends ServerChannel> channelType) {
    this.channelType = Objects.requireNonNull(channelType, "channelType");
    return this;
  }

  /**
   * Reports the server, its listen sockets and connections to {@code channelz} instead of the
   * process-wide registry (tests use this to see only their own).
   */
  public ServerBuilder channelz(Channelz channelz) {
    this.channelz = Objects.requireNonNull(channelz, "channelz");
    return this;
  }

  /**
   * How long a connection may be quiet (nothing read) before the server sends a keepalive PING;
   * two hours by default.
   */
  public ServerBuilder keepAliveTime(Duration time) {
    this.keepAliveTimeNanos = nanos(time, "keepAliveTime");
    return this;
  }

  /** How long a keepalive PING may go unanswered before the connection is closed; 20 s default. */
  public ServerBuilder keepAliveTimeout(Duration timeout) {
    this.keepAliveTimeoutNanos = nanos(timeout, "keepAliveTimeout");
    return this;
  }

  /**
   * The shortest interval between client PINGs the server tolerates (5 min by default). A client
   * that pings more often gets strikes; at the third it gets GOAWAY(ENHANCE_YOUR_CALM,
   * "too_many_pings") and its connection ends. Zero accepts any rate.
   */
  public ServerBuilder permitKeepAliveTime(Duration time) {
    if (time.isNegative()) {
      throw new IllegalArgumentException("permitKeepAliveTime must not be negative, not " + time);
    }
    this.permitKeepAliveTimeNanos = time.toNanos();
    return this;
  }

  /**
   * Whether clients may ping at the permitted rate with no call open (false by default: then one
   * PING per two hours).
   */
  public ServerBuilder permitKeepAliveWithoutCalls(boolean permit) {
    this.permitKeepAliveWithoutCalls = permit;
    return this;
  }

  /**
   * How long a connection may have no call open before the server drains it with
   * GOAWAY(NO_ERROR, "max_idle"); unlimited by default.
   */
  public ServerBuilder maxConnectionIdle(Duration idle) {
    this.maxConnectionIdleNanos = nanos(idle, "maxConnectionIdle");
    return this;
  }

  /**
   * How long a connection may live before the server drains it with GOAWAY(NO_ERROR, "max_age"),
   * with ±10% random jitter per connection so that clients do not all reconnect at once;
   * unlimited by default. Lets a load balancer spread long-lived clients again.
   */
  public ServerBuilder maxConnectionAge(Duration age) {
    this.maxConnectionAgeNanos = nanos(age, "maxConnectionAge");
    return this;
  }

  /**
   * How long the calls of a connection past its maximum age may still run before it is closed;
   * unlimited by default.
   */
  public ServerBuilder maxConnectionAgeGrace(Duration grace) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("maxConnectionAgeGrace must not be negative, not " + grace);
    }
    this.maxConnectionAgeGraceNanos = saturatedNanos(grace);
    return this;
  }

  /**
   * The rapid-reset limit: a client that sends more than {@code count} RST_STREAM frames within
   * {@code window} gets GOAWAY(ENHANCE_YOUR_CALM) (1000 per 10 s by default; 0 disables it).
   */
  public ServerBuilder maxRstFramesPerWindow(int count, Duration window) {
    if (count < 0) {
      throw new IllegalArgumentException("maxRstFramesPerWindow must not be negative, not " + count);
    }
    this.maxRstFramesPerWindow = count;
    this.rstWindowNanos = nanos(window, "window");
    return this;
  }

  /** For tests: how many control frames may wait unwritten (10,000 by default). */
  ServerBuilder maxQueuedControlFrames(int frames) {
    this.maxQueuedControlFrames = positive(frames, "maxQueuedControlFrames");
    return this;
  }

  ServerConnectionPolicy connectionPolicy() {
    return new ServerConnectionPolicy(keepAliveTimeNanos, keepAliveTimeoutNanos,
        permitKeepAliveTimeNanos, permitKeepAliveWithoutCalls, maxConnectionIdleNanos,
        maxConnectionAgeNanos, maxConnectionAgeGraceNanos, maxRstFramesPerWindow, rstWindowNanos,
        maxQueuedControlFrames, DEFAULT_POLICY.maxConsecutiveEmptyDataFrames(),
        DEFAULT_POLICY.maxSmallContinuationFrames());
  }

  /** Each address with the credentials that apply to it. */
  List<ServerListener> listeners() {
    List<ServerListener> out = new ArrayList<>();
    for (int i = 0; i < addresses.size(); i++) {
      SocketAddress address = addresses.get(i);
      ServerCredentials own = addressCredentials.get(i);
      ServerCredentials creds = address instanceof InProcessSocketAddress
          ? ServerCredentials.insecure() : own != null ? own : credentials;
      out.add(new ServerListener(address, creds));
    }
    return out;
  }

  /**
   * Builds the server (not started).
   *
   * @throws IllegalStateException without an address, or when two services define the same method
   */
  public Server build() {
    if (addresses.isEmpty()) {
      throw new IllegalStateException("No address to listen on: call port(...) or address(...)");
    }
    if (eventLoopThreads > 0 && workerGroup != null) {
      throw new IllegalStateException("eventLoopThreads(" + eventLoopThreads + ") sizes the"
          + " server's own I/O threads, but eventLoopGroups(...) gave it groups: size the worker"
          + " group when creating it, or drop one of the two settings");
    }
    return new Server(this);
  }

  private static long nanos(Duration d, String name) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, not " + d);
    }
    return saturatedNanos(d);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return ServerConnectionPolicy.INFINITE; // beyond ~292 years: never
    }
  }

  private static int positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
    return value;
  }
}
