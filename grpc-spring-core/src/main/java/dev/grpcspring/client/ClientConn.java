package dev.grpcspring.client;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.ConnectivityState;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.MethodType;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.balancer.BalancerState;
import dev.grpcspring.balancer.ClientConnState;
import dev.grpcspring.balancer.SubConnStateListener;
import dev.grpcspring.channelz.ChannelEntity;
import dev.grpcspring.channelz.ChannelTrace;
import dev.grpcspring.codec.CompressorRegistry;
import dev.grpcspring.credentials.PerRpcCredentials;
import dev.grpcspring.credentials.TlsChannelCredentials;
import dev.grpcspring.credentials.TransportCredentials;
import dev.grpcspring.interceptor.ClientInterceptor;
import dev.grpcspring.interceptor.ClientInterceptors;
import dev.grpcspring.internal.CallbackSerializer;
import dev.grpcspring.internal.ExponentialBackoff;
import dev.grpcspring.resolver.Address;
import dev.grpcspring.resolver.ResolverBuildOptions;
import dev.grpcspring.resolver.ResolverBuilder;
import dev.grpcspring.resolver.ResolverRegistry;
import dev.grpcspring.resolver.ResolverState;
import dev.grpcspring.serviceconfig.MethodConfig;
import dev.grpcspring.proxy.ProxyDetector;
import dev.grpcspring.transport.ClientTransportOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.util.AsciiString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A client channel to one target (grpc-go's {@code ClientConn}): it resolves the target, balances
 * calls over connections to the addresses found, and reconnects with backoff. It is not one
 * connection. Create with {@link #dial}; close when done. Thread-safe.
 *
 * <p>Resolver and balancer work runs one callback at a time in a callback serializer, never on the
 * caller's thread. A channel starts IDLE and connects on its first call (or {@link
 * #getState(boolean) getState(true)}, or at once for a blocking dial); after the idle timeout
 * without calls it shuts its resolver and balancer down and is IDLE again, until the next call.
 */
public final class ClientConn implements Channel, AutoCloseable {
  private static final Logger log = Logger.getLogger(ClientConn.class.getName());
  /** Our part of {@code user-agent}. */
  public static final String USER_AGENT = "grpc-spring/" + version();

  private final String target;
  private final DialOptions options;
  private final ResolverRegistry.ParsedTarget parsedTarget;
  private final String authority;
  private final String userAgent;
  // The request headers' constant values, made once for every call's header block.
  private final AsciiString authorityAscii;
  private final AsciiString userAgentAscii;
  private final AsciiString acceptEncodingAscii;
  private final Executor executor;
  private final Executor offloadExecutor;
  private final ScheduledExecutorService scheduler;
  private final CallbackSerializer serializer;
  private final ConnectivityStateManager csMgr = new ConnectivityStateManager();
  private final PickerWrapper pickerWrapper = new PickerWrapper();
  private final Set<AddrConn> conns = ConcurrentHashMap.newKeySet();
  private final ClientTransportOptions transportOptions;
  private final ExponentialBackoff backoff;
  private final CompressorRegistry compressors = CompressorRegistry.getDefaultInstance();
  private final ServiceConfigs serviceConfigs;
  private final RetryBufferBudget retryBuffer;
  private final Channel unaryChannel;
  private final Channel streamChannel;
  private final List<PerRpcCredentials> channelCredentials;
  private final ChannelEntity channelzEntity;

  // Idleness.
  private final AtomicInteger activeCalls = new AtomicInteger();
  private final AtomicBoolean idle = new AtomicBoolean(true);
  private volatile long lastCallEndNanos = System.nanoTime();
  private @Nullable ScheduledFuture<?> idleTimer;

  // Serializer state.
  private @Nullable ResolverWrapper resolverWrapper;
  private @Nullable BalancerWrapper balancerWrapper;
  private volatile Status lastConnectionError = Status.OK;
  private volatile boolean closed;

  private ClientConn(String target, DialOptions options) {
    this.target = Objects.requireNonNull(target, "target");
    this.options = Objects.requireNonNull(options, "options");
    TransportCredentials credentials = options.transportCredentials();
    if (credentials == null) {
      throw new IllegalArgumentException("No transport security set for " + target
          + ": choose DialOptions.newBuilder().insecure() for plaintext, or TLS credentials");
    }
    boolean secure = credentials.isSecure();
    if (secure && !(credentials instanceof TlsChannelCredentials)) {
      // Only TLS can encrypt a connection: refuse rather than send https-labelled plaintext.
      throw new IllegalArgumentException("Transport credentials " + credentials
          + " ask for a secure connection, which only TlsChannelCredentials can make");
    }
    for (PerRpcCredentials c : options.perRpcCredentials()) {
      if (!secure && c.requireTransportSecurity()) {
        throw new IllegalArgumentException("Per-RPC credentials " + c + " require transport security, "
            + "but the channel to " + target + " is plaintext; use TLS or credentials that allow it");
      }
    }
    this.channelCredentials = options.perRpcCredentials();
    ResolverRegistry registry = ResolverRegistry.getDefaultRegistry();
    if (!options.resolvers().isEmpty() || options.defaultScheme() != null) {
      registry = registry.newChild();
      for (ResolverBuilder b : options.resolvers()) {
        registry.register(b);
      }
      if (options.defaultScheme() != null) {
        registry.setDefaultScheme(options.defaultScheme());
      }
    }
    this.parsedTarget = registry.parseTarget(target);
    this.authority = options.authority() != null ? options.authority() : parsedTarget.defaultAuthority();
    this.userAgent = options.userAgent() == null ? USER_AGENT : options.userAgent() + " " + USER_AGENT;
    this.authorityAscii = new AsciiString(authority);
    this.userAgentAscii = new AsciiString(userAgent);
    this.acceptEncodingAscii = new AsciiString(compressors.acceptEncoding());
    this.serviceConfigs = new ServiceConfigs(options);
    this.retryBuffer = new RetryBufferBudget(options.retryBufferSize());
    this.executor = options.executor() != null ? options.executor() : SharedResources.callbackExecutor();
    this.offloadExecutor = SharedResources.offloadExecutor();
    EventLoopGroup group =
        options.eventLoopGroup() != null ? options.eventLoopGroup() : SharedResources.eventLoopGroup();
    this.scheduler = group.next();
    this.serializer = new CallbackSerializer(offloadExecutor);
    this.backoff = ExponentialBackoff.newBuilder()
        .initialBackoff(options.initialBackoff())
        .multiplier(options.backoffMultiplier())
        .jitter(options.backoffJitter())
        .maxBackoff(options.maxBackoff())
        .minConnectTimeout(options.minConnectTimeout())
        .build();
    this.transportOptions = new ClientTransportOptions(group, options.channelType(),
        credentials(),
        (int) options.minConnectTimeout().toMillis(), options.initialWindowSize(),
        options.initialConnWindowSize(), options.bdpPing(), options.maxHeaderListSize(), compressors,
        offloadExecutor, options.newClientKeepAlive(),
        options.proxyDetector() != null ? options.proxyDetector() : ProxyDetector.fromEnvironment());
    Channel self = new RealChannel();
    List<ClientInterceptor> unary = new ArrayList<>(options.interceptors());
    unary.addAll(options.unaryInterceptors());
    List<ClientInterceptor> stream = new ArrayList<>(options.interceptors());
    stream.addAll(options.streamInterceptors());
    this.unaryChannel = ClientInterceptors.intercept(self, unary);
    this.streamChannel = ClientInterceptors.intercept(self, stream);
    this.channelzEntity = options.channelz().addChannel(target, csMgr::get);
    csMgr.setOnChange(s -> channelzEntity.trace().add("Channel state changed to " + s,
        ChannelTrace.Severity.INFO));
  }

  /**
   * Creates a channel to {@code target} (gRPC naming: {@code dns:///host:port}, {@code
   * unix:/path}, or {@code host:port} for the default scheme). Non-blocking unless {@link
   * DialOptions.Builder#block()} was set: then it returns once the channel is READY, and otherwise
   * fails after the dial timeout (or at once for a permanent error, with {@link
   * DialOptions.Builder#failOnNonTempDialError}) with the last connection error in the message.
   *
   * @throws IllegalArgumentException for a malformed target or inconsistent options
   * @throws StatusException UNAVAILABLE or DEADLINE_EXCEEDED when a blocking dial fails
   */
  public static ClientConn dial(String target, DialOptions options) {
    ClientConn cc = new ClientConn(target, options);
    cc.scheduleIdleCheck();
    if (options.block()) {
      try {
        cc.awaitReady();
      } catch (RuntimeException | InterruptedException e) {
        cc.close();
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          throw Status.CANCELLED.withDescription("Interrupted while dialing " + target).withCause(e)
              .asException();
        }
        throw (RuntimeException) e;
      }
    }
    return cc;
  }

  private void awaitReady() throws InterruptedException {
    Duration timeout = options.timeout();
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    exitIdleMode();
    while (true) {
      ConnectivityState s = getState(true);
      if (s == ConnectivityState.READY) {
        return;
      }
      if (s == ConnectivityState.SHUTDOWN) {
        throw Status.UNAVAILABLE.withDescription("Channel to " + target + " was closed while dialing")
            .asException();
      }
      if (s == ConnectivityState.TRANSIENT_FAILURE && options.failOnNonTempDialError()) {
        Status err = lastConnectionError;
        if (!err.isOk() && !isTemporary(err)) {
          throw err.augmentDescription("dialing " + target + " failed with a non-temporary error")
              .asException();
        }
      }
      long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
      if (left <= 0 || !csMgr.awaitStateChange(s, left)) {
        Status err = lastConnectionError;
        Status st = Status.DEADLINE_EXCEEDED.withDescription("Channel to " + target
            + " was not ready within " + timeout + " (state " + s + ")"
            + (err.isOk() ? "" : "; last connection error: " + describe(err)));
        throw st.withCause(err.getCause()).asException();
      }
    }
  }

  private static boolean isTemporary(Status err) {
    for (Throwable t = err.getCause(); t != null; t = t.getCause()) {
      if (t instanceof java.net.UnknownHostException) {
        return false;
      }
    }
    return true;
  }

  private static String describe(Status s) {
    return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
  }

  // ---- public API ----

  /** The target this channel was dialed with. */
  public String target() {
    return target;
  }

  @Override
  public String authority() {
    return authority;
  }

  /**
   * The channel's connectivity state. With {@code tryConnect}, an IDLE channel starts connecting
   * (grpc-go's {@code Connect()}).
   */
  public ConnectivityState getState(boolean tryConnect) {
    ConnectivityState s = csMgr.get();
    if (tryConnect && s == ConnectivityState.IDLE && !closed) {
      exitIdleMode();
      serializer.trySchedule(() -> {
        if (balancerWrapper != null) {
          balancerWrapper.exitIdle();
        }
      });
    }
    return s;
  }

  /**
   * Blocks until the state differs from {@code source} or {@code timeout} passes (grpc-go's {@code
   * WaitForStateChange}); true when it changed.
   */
  public boolean awaitStateChange(ConnectivityState source, Duration timeout)
      throws InterruptedException {
    return csMgr.awaitStateChange(source, timeout.toNanos());
  }

  /** Runs {@code callback} on {@code executor} once the state is not {@code source}. */
  public void notifyWhenStateChanged(ConnectivityState source, Runnable callback, Executor executor) {
    csMgr.notifyWhenStateChanged(source, s -> callback.run(), executor);
  }

  /**
   * Gives {@code callback}, on {@code executor}, the state the channel moved to once it is not
   * {@code source}. With a direct executor, re-registering from the callback sees every
   * transition, since the callback runs before the next change is published.
   */
  public void notifyWhenStateChanged(
      ConnectivityState source, Consumer<ConnectivityState> callback, Executor executor) {
    csMgr.notifyWhenStateChanged(source, callback, executor);
  }

  /** Reconnects subchannels waiting in backoff now, and resets their backoff. */
  public void resetConnectBackoff() {
    for (AddrConn ac : conns) {
      ac.resetBackoff();
    }
  }

  /**
   * The method config in use for {@code fullMethodName} ({@code package.Service/Method}), chosen
   * as {@link dev.grpcspring.serviceconfig.ServiceConfig#methodConfig} does (grpc-go's {@code
   * GetMethodConfig}).
   */
  public MethodConfig methodConfig(String fullMethodName) {
    return serviceConfigs.methodConfig(fullMethodName);
  }

  /**
   * A new call, through the dial options' interceptors. Nothing is sent until {@link
   * ClientCall#start}.
   */
  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
    Channel c = method.getType() == MethodType.UNARY ? unaryChannel : streamChannel;
    return c.newCall(method, callOptions);
  }

  /**
   * A unary call that blocks for its response (grpc-go's {@code Invoke}).
   *
   * @throws dev.grpcspring.StatusRuntimeException when the call fails
   */
  public <ReqT, RespT> RespT invoke(
      MethodDescriptor<ReqT, RespT> method, ReqT request, CallOptions callOptions) {
    return UnaryInvoker.invoke(this, method, callOptions, request);
  }

  /** Starts a streaming call with blocking send and receive (grpc-go's {@code NewStream}). */
  public <ReqT, RespT> ClientStream<ReqT, RespT> newStream(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
    return ClientStream.start(newCall(method, callOptions));
  }

  /**
   * Closes the channel: calls still waiting for a connection fail with UNAVAILABLE, the resolver
   * and balancer shut down, and connections close once their calls end. State SHUTDOWN.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    synchronized (this) {
      if (idleTimer != null) {
        idleTimer.cancel(false);
      }
    }
    pickerWrapper.close(Status.UNAVAILABLE.withDescription("Channel to " + target + " is closed"));
    csMgr.update(ConnectivityState.SHUTDOWN);
    serializer.trySchedule(() -> {
      shutdownResolverAndBalancer();
      for (AddrConn ac : new ArrayList<>(conns)) {
        ac.shutdown();
      }
    });
    serializer.close();
    channelzEntity.close();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    return "ClientConn{target=" + target + ", state=" + csMgr.get() + "}";
  }

  /** How this channel secures its connections (plaintext or TLS). */
  public TransportCredentials transportCredentials() {
    return credentials();
  }

  /** This channel in channelz: its id, call counters and subchannels. */
  public ChannelEntity channelz() {
    return channelzEntity;
  }

  // ---- for calls ----

  DialOptions options() {
    return options;
  }

  /** The channel's transport credentials: the constructor refuses options without them. */
  TransportCredentials credentials() {
    return Objects.requireNonNull(options.transportCredentials(), "transportCredentials");
  }

  Executor executor() {
    return executor;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  RetryBufferBudget retryBuffer() {
    return retryBuffer;
  }

  /** The service config in use: health-check service (A17) and retry token bucket. */
  ServiceConfigs serviceConfigs() {
    return serviceConfigs;
  }

  CallbackSerializer serializer() {
    return serializer;
  }

  PickerWrapper pickerWrapper() {
    return pickerWrapper;
  }

  CompressorRegistry compressors() {
    return compressors;
  }

  ClientTransportOptions transportOptions() {
    return transportOptions;
  }

  String userAgent() {
    return userAgent;
  }

  /** {@link #authority()}, {@link #userAgent()} and the accept-encoding, as sent. */
  AsciiString authorityAscii() {
    return authorityAscii;
  }

  AsciiString userAgentAscii() {
    return userAgentAscii;
  }

  AsciiString acceptEncodingAscii() {
    return acceptEncodingAscii;
  }

  List<PerRpcCredentials> channelCredentials() {
    return channelCredentials;
  }

  Status lastConnectionError() {
    return lastConnectionError;
  }

  /** A call starts: wakes the channel from idle. */
  void enterCall() {
    channelzEntity.calls().callStarted();
    activeCalls.incrementAndGet();
    if (idle.get()) {
      exitIdleMode();
    }
  }

  /** A call ended, OK or not. */
  void exitCall(boolean ok) {
    channelzEntity.calls().callEnded(ok);
    lastCallEndNanos = System.nanoTime();
    activeCalls.decrementAndGet();
  }

  // ---- idleness ----

  private void exitIdleMode() {
    if (closed || !idle.compareAndSet(true, false)) {
      return;
    }
    serializer.trySchedule(() -> {
      if (closed || resolverWrapper != null) {
        return;
      }
      balancerWrapper = new BalancerWrapper(this);
      resolverWrapper = new ResolverWrapper(this);
      resolverWrapper.start(parsedTarget, new ResolverBuildOptions(scheduler, 443,
          options.disableServiceConfig()));
    });
  }

  private void scheduleIdleCheck() {
    Duration timeout = options.idleTimeout();
    if (timeout.isZero()) {
      return;
    }
    long nanos = timeout.toNanos();
    synchronized (this) {
      if (!closed) {
        idleTimer = scheduler.scheduleAtFixedRate(() -> serializer.trySchedule(this::maybeEnterIdle),
            Math.max(1, nanos / 2), Math.max(1, nanos / 2), TimeUnit.NANOSECONDS);
      }
    }
  }

  private void maybeEnterIdle() {
    if (closed || idle.get() || activeCalls.get() > 0
        || System.nanoTime() - lastCallEndNanos < options.idleTimeout().toNanos()) {
      return;
    }
    if (!idle.compareAndSet(false, true)) {
      return;
    }
    if (activeCalls.get() > 0) {
      // A call slipped in: it saw the channel awake, so stay awake.
      idle.set(false);
      return;
    }
    log.log(Level.FINE, "Channel to {0} enters idle mode", target);
    pickerWrapper.reset();
    shutdownResolverAndBalancer();
    csMgr.update(ConnectivityState.IDLE);
  }

  private void shutdownResolverAndBalancer() {
    if (resolverWrapper != null) {
      resolverWrapper.close();
      resolverWrapper = null;
    }
    if (balancerWrapper != null) {
      balancerWrapper.close();
      balancerWrapper = null;
    }
  }

  // ---- resolver and balancer (in the serializer) ----

  void updateResolverState(ResolverState state) {
    if (closed || balancerWrapper == null) {
      return;
    }
    ServiceConfigs.Selected selected = serviceConfigs.select(state.serviceConfigJson());
    if (selected == null) {
      // Invalid config and nothing to fall back to: the channel cannot work (A21).
      Status err = serviceConfigs.unusable(target);
      pickerWrapper.updatePicker(info -> dev.grpcspring.balancer.PickResult.withError(err));
      csMgr.update(ConnectivityState.TRANSIENT_FAILURE);
      return;
    }
    channelzEntity.trace().add("Resolved " + state.addresses().size() + " address(es); load "
        + "balancing policy " + selected.policy(), ChannelTrace.Severity.INFO);
    if (serviceConfigs.healthCheckChanged()) {
      conns.forEach(AddrConn::healthConfigChanged);
    }
    balancerWrapper.switchTo(selected.builder());
    Status s = balancerWrapper.updateClientConnState(
        new ClientConnState(state, selected.balancerConfig()));
    if (!s.isOk()) {
      resolveNowInSerializer();
    }
  }

  void resolverError(Status error) {
    if (closed || balancerWrapper == null) {
      return;
    }
    lastConnectionError = error;
    channelzEntity.trace().add("Resolution failed: " + describe(error),
        ChannelTrace.Severity.WARNING);
    if (balancerWrapper.policy() == null) {
      // No balancer yet: report the failure ourselves.
      balancerWrapper.switchTo(ServiceConfigs.pickFirst());
    }
    balancerWrapper.resolverError(error);
  }

  void resolveNowInSerializer() {
    if (resolverWrapper != null) {
      resolverWrapper.resolveNow();
    }
  }

  void updateBalancerState(BalancerState state) {
    if (closed) {
      return;
    }
    pickerWrapper.updatePicker(state.picker());
    csMgr.update(state.state());
  }

  AddrConn newAddrConn(List<Address> addresses, SubConnStateListener listener, boolean healthCheck) {
    SubConnStateListener recording = s -> {
      if (s.state() == ConnectivityState.TRANSIENT_FAILURE && !s.connectionError().isOk()) {
        lastConnectionError = s.connectionError();
      }
      listener.onStateChange(s);
    };
    AddrConn ac = new AddrConn(this, addresses, recording, backoff, healthCheck);
    conns.add(ac);
    if (closed) {
      ac.shutdown();
    }
    return ac;
  }

  void removeSubConn(AddrConn ac) {
    conns.remove(ac);
  }

  /** The channel itself, below the interceptors. */
  private final class RealChannel implements Channel {
    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
      return new ClientCallImpl<>(ClientConn.this, method,
          CallOptionsMerger.merge(options.defaultCallOptions(), callOptions));
    }

    @Override
    public String authority() {
      return authority;
    }
  }

  private static String version() {
    String v = ClientConn.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}
