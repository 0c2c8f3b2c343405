package dev.grpcspring.client;

import dev.grpcspring.CallOptions;
import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.credentials.PerRpcCredentials;
import dev.grpcspring.credentials.TransportCredentials;
import dev.grpcspring.proxy.HttpConnectProxy;
import dev.grpcspring.proxy.NoProxyList;
import dev.grpcspring.proxy.ProxyDetector;
import dev.grpcspring.interceptor.ClientInterceptor;
import dev.grpcspring.resolver.ResolverBuilder;
import dev.grpcspring.serviceconfig.ServiceConfig;
import dev.grpcspring.transport.ClientKeepAlive;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * How {@link ClientConn#dial} sets up a channel (grpc-go's {@code DialOption}s). Immutable; build
 * with {@link #newBuilder()}. Transport credentials are required: {@code
 * DialOptions.newBuilder().insecure().build()} for plaintext, {@code
 * transportCredentials(TlsChannelCredentials...)} for TLS.
 */
public final class DialOptions {
  /** Default idle timeout: 30 minutes, as gRFC A62 recommends. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
  /** Default HTTP/2 stream and connection receive window: 1 MiB. */
  public static final int DEFAULT_FLOW_CONTROL_WINDOW = 1024 * 1024;
  /** Default limit on received header lists: 8 KiB, as grpc-java and the spec suggest. */
  public static final int DEFAULT_MAX_HEADER_LIST_SIZE = 8192;
  /** The shortest keepalive time; shorter ones are raised to it (gRFC A8). */
  public static final Duration MIN_KEEPALIVE_TIME = Duration.ofSeconds(10);
  /** The default keepalive timeout: 20 s. */
  public static final Duration DEFAULT_KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);
  /** Default receive limit per message: 4 MiB. */
  public static final int DEFAULT_MAX_RECEIVE_MESSAGE_SIZE = 4 * 1024 * 1024;
  /** Default channel-wide limit on bytes kept for retries (grpc-java's, 16 MiB). */
  public static final long DEFAULT_RETRY_BUFFER_SIZE = 16L * 1024 * 1024;
  /** Default cap on attempts per call, whatever a retry policy asks (gRFC A6). */
  public static final int DEFAULT_MAX_CALL_ATTEMPTS = 5;

  final @Nullable TransportCredentials transportCredentials;
  final List<PerRpcCredentials> perRpcCredentials;
  final boolean block;
  final boolean failOnNonTempDialError;
  final @Nullable Duration timeout;
  final @Nullable String authority;
  final @Nullable String userAgent;
  final List<ClientInterceptor> interceptors;
  final List<ClientInterceptor> unaryInterceptors;
  final List<ClientInterceptor> streamInterceptors;
  final @Nullable String defaultServiceConfigJson;
  final @Nullable ServiceConfig defaultServiceConfig;
  final Duration initialBackoff;
  final double backoffMultiplier;
  final double backoffJitter;
  final Duration maxBackoff;
  final Duration minConnectTimeout;
  final boolean disableRetry;
  final boolean disableServiceConfig;
  final boolean disableHealthCheck;
  final Duration idleTimeout;
  final CallOptions defaultCallOptions;
  final int initialWindowSize;
  final int initialConnWindowSize;
  final boolean bdpPing;
  final int maxHeaderListSize;
  final List<ResolverBuilder> resolvers;
  final @Nullable String defaultScheme;
  final @Nullable Executor executor;
  final @Nullable EventLoopGroup eventLoopGroup;
  final @Nullable Class<? extends io.netty.channel.Channel> channelType;
  final Channelz channelz;
  final @Nullable Duration keepAliveTime;
  final Duration keepAliveTimeout;
  final boolean keepAliveWithoutCalls;
  final long retryBufferSize;
  final int maxCallAttempts;
  final @Nullable ProxyDetector proxyDetector;

  private DialOptions(Builder b) {
    this.transportCredentials = b.transportCredentials;
    this.perRpcCredentials = List.copyOf(b.perRpcCredentials);
    this.block = b.block;
    this.failOnNonTempDialError = b.failOnNonTempDialError;
    this.timeout = b.timeout;
    this.authority = b.authority;
    this.userAgent = b.userAgent;
    this.interceptors = List.copyOf(b.interceptors);
    this.unaryInterceptors = List.copyOf(b.unaryInterceptors);
    this.streamInterceptors = List.copyOf(b.streamInterceptors);
    this.defaultServiceConfigJson = b.defaultServiceConfigJson;
    this.defaultServiceConfig = b.defaultServiceConfig;
    this.initialBackoff = b.initialBackoff;
    this.backoffMultiplier = b.backoffMultiplier;
    this.backoffJitter = b.backoffJitter;
    this.maxBackoff = b.maxBackoff;
    this.minConnectTimeout = b.minConnectTimeout;
    this.disableRetry = b.disableRetry;
    this.disableServiceConfig = b.disableServiceConfig;
    this.disableHealthCheck = b.disableHealthCheck;
    this.idleTimeout = b.idleTimeout;
    this.defaultCallOptions = b.defaultCallOptions;
    this.initialWindowSize = b.initialWindowSize;
    this.initialConnWindowSize = b.initialConnWindowSize;
    this.bdpPing = b.bdpPing;
    this.maxHeaderListSize = b.maxHeaderListSize;
    this.resolvers = List.copyOf(b.resolvers);
    this.defaultScheme = b.defaultScheme;
    this.executor = b.executor;
    this.eventLoopGroup = b.eventLoopGroup;
    this.channelType = b.channelType;
    this.channelz = b.channelz;
    this.keepAliveTime = b.keepAliveTime == null || b.keepAliveTime.compareTo(b.minKeepAliveTime) >= 0
        ? b.keepAliveTime : b.minKeepAliveTime;
    this.keepAliveTimeout = b.keepAliveTimeout;
    this.keepAliveWithoutCalls = b.keepAliveWithoutCalls;
    this.retryBufferSize = b.retryBufferSize;
    this.maxCallAttempts = b.maxCallAttempts;
    this.proxyDetector = b.proxyDetector;
  }

  /**
   * Which connections go through an HTTP CONNECT proxy, or null for the environment's ({@link
   * ProxyDetector#fromEnvironment()}, read when the channel is dialed).
   */
  public @Nullable ProxyDetector proxyDetector() {
    return proxyDetector;
  }

  /** The keepalive time (at least {@link #MIN_KEEPALIVE_TIME}), or null when keepalive is off. */
  public @Nullable Duration keepAliveTime() {
    return keepAliveTime;
  }

  public Duration keepAliveTimeout() {
    return keepAliveTimeout;
  }

  public boolean keepAliveWithoutCalls() {
    return keepAliveWithoutCalls;
  }

  /** Fresh keepalive state for one channel (its time doubles on too_many_pings). */
  ClientKeepAlive newClientKeepAlive() {
    return ClientKeepAlive.of(keepAliveTime, keepAliveTimeout, keepAliveWithoutCalls);
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public @Nullable TransportCredentials transportCredentials() {
    return transportCredentials;
  }

  public List<PerRpcCredentials> perRpcCredentials() {
    return perRpcCredentials;
  }

  public boolean block() {
    return block;
  }

  public boolean failOnNonTempDialError() {
    return failOnNonTempDialError;
  }

  /** How long a blocking dial waits for READY; null for no limit. */
  public @Nullable Duration timeout() {
    return timeout;
  }

  /** The {@code :authority} override, or null to derive it from the target. */
  public @Nullable String authority() {
    return authority;
  }

  /** The user agent prefix, or null. */
  public @Nullable String userAgent() {
    return userAgent;
  }

  public List<ClientInterceptor> interceptors() {
    return interceptors;
  }

  public List<ClientInterceptor> unaryInterceptors() {
    return unaryInterceptors;
  }

  public List<ClientInterceptor> streamInterceptors() {
    return streamInterceptors;
  }

  /** The default service config as JSON, or null when none was given as JSON. */
  public @Nullable String defaultServiceConfigJson() {
    return defaultServiceConfigJson;
  }

  /** The default service config as built, or null when none was given typed. */
  public @Nullable ServiceConfig defaultServiceConfig() {
    return defaultServiceConfig;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public double backoffMultiplier() {
    return backoffMultiplier;
  }

  public double backoffJitter() {
    return backoffJitter;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public Duration minConnectTimeout() {
    return minConnectTimeout;
  }

  public boolean disableRetry() {
    return disableRetry;
  }

  public long retryBufferSize() {
    return retryBufferSize;
  }

  public int maxCallAttempts() {
    return maxCallAttempts;
  }

  public boolean disableServiceConfig() {
    return disableServiceConfig;
  }

  /** Whether client-side health checking is off even when the service config asks for it. */
  public boolean disableHealthCheck() {
    return disableHealthCheck;
  }

  /** The idle timeout; {@link Duration#ZERO} disables idle mode. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  public CallOptions defaultCallOptions() {
    return defaultCallOptions;
  }

  public int initialWindowSize() {
    return initialWindowSize;
  }

  public int initialConnWindowSize() {
    return initialConnWindowSize;
  }

  /**
   * Whether the receive windows grow with the measured bandwidth-delay product (BDP PINGs); on
   * unless a window was set explicitly, as in grpc-go.
   */
  public boolean bdpPing() {
    return bdpPing;
  }

  public int maxHeaderListSize() {
    return maxHeaderListSize;
  }

  public List<ResolverBuilder> resolvers() {
    return resolvers;
  }

  /** The scheme used for targets with no registered scheme, or null for the registry's default. */
  public @Nullable String defaultScheme() {
    return defaultScheme;
  }

  /** The executor for call callbacks, or null for the shared default. */
  public @Nullable Executor executor() {
    return executor;
  }

  /** The event loop group for connections, or null for the shared default. */
  public @Nullable EventLoopGroup eventLoopGroup() {
    return eventLoopGroup;
  }

  /** The Netty channel class for {@link #eventLoopGroup()}, or null for the default. */
  public @Nullable Class<? extends io.netty.channel.Channel> channelType() {
    return channelType;
  }

  /** The channelz registry the channel reports to ({@link Channelz#getDefault()} unless set). */
  public Channelz channelz() {
    return channelz;
  }

  /** Builds {@link DialOptions}. */
  public static final class Builder {
    private @Nullable TransportCredentials transportCredentials;
    private final List<PerRpcCredentials> perRpcCredentials = new ArrayList<>();
    private boolean block;
    private boolean failOnNonTempDialError;
    private @Nullable Duration timeout;
    private @Nullable String authority;
    private @Nullable String userAgent;
    private final List<ClientInterceptor> interceptors = new ArrayList<>();
    private final List<ClientInterceptor> unaryInterceptors = new ArrayList<>();
    private final List<ClientInterceptor> streamInterceptors = new ArrayList<>();
    private @Nullable String defaultServiceConfigJson;
    private @Nullable ServiceConfig defaultServiceConfig;
    // connection-backoff.md defaults
    private Duration initialBackoff = Duration.ofSeconds(1);
    private double backoffMultiplier = 1.6;
    private double backoffJitter = 0.2;
    private Duration maxBackoff = Duration.ofSeconds(120);
    private Duration minConnectTimeout = Duration.ofSeconds(20);
    private boolean disableRetry;
    private boolean disableServiceConfig;
    private boolean disableHealthCheck;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private CallOptions defaultCallOptions = CallOptions.DEFAULT;
    private int initialWindowSize = DEFAULT_FLOW_CONTROL_WINDOW;
    private int initialConnWindowSize = DEFAULT_FLOW_CONTROL_WINDOW;
    private boolean bdpPing = true;
    private int maxHeaderListSize = DEFAULT_MAX_HEADER_LIST_SIZE;
    private final List<ResolverBuilder> resolvers = new ArrayList<>();
    private @Nullable String defaultScheme;
    private @Nullable Executor executor;
    private @Nullable EventLoopGroup eventLoopGroup;
    private @Nullable Class<? extends io.netty.channel.Channel> channelType;
    private Channelz channelz = Channelz.getDefault();
    private @Nullable Duration keepAliveTime;
    private Duration keepAliveTimeout = DEFAULT_KEEPALIVE_TIMEOUT;
    private boolean keepAliveWithoutCalls;
    private long retryBufferSize = DEFAULT_RETRY_BUFFER_SIZE;
    private int maxCallAttempts = DEFAULT_MAX_CALL_ATTEMPTS;
    private Duration minKeepAliveTime = MIN_KEEPALIVE_TIME;
    private @Nullable ProxyDetector proxyDetector;

    private Builder() {}

    private Builder(DialOptions o) {
      transportCredentials = o.transportCredentials;
      perRpcCredentials.addAll(o.perRpcCredentials);
      block = o.block;
      failOnNonTempDialError = o.failOnNonTempDialError;
      timeout = o.timeout;
      authority = o.authority;
      userAgent = o.userAgent;
      interceptors.addAll(o.interceptors);
      unaryInterceptors.addAll(o.unaryInterceptors);
      streamInterceptors.addAll(o.streamInterceptors);
      defaultServiceConfigJson = o.defaultServiceConfigJson;
      defaultServiceConfig = o.defaultServiceConfig;
      initialBackoff = o.initialBackoff;
      backoffMultiplier = o.backoffMultiplier;
      backoffJitter = o.backoffJitter;
      maxBackoff = o.maxBackoff;
      minConnectTimeout = o.minConnectTimeout;
      disableRetry = o.disableRetry;
      disableServiceConfig = o.disableServiceConfig;
      disableHealthCheck = o.disableHealthCheck;
      idleTimeout = o.idleTimeout;
      defaultCallOptions = o.defaultCallOptions;
      initialWindowSize = o.initialWindowSize;
      initialConnWindowSize = o.initialConnWindowSize;
      bdpPing = o.bdpPing;
      maxHeaderListSize = o.maxHeaderListSize;
      resolvers.addAll(o.resolvers);
      defaultScheme = o.defaultScheme;
      keepAliveTime = o.keepAliveTime;
      keepAliveTimeout = o.keepAliveTimeout;
      keepAliveWithoutCalls = o.keepAliveWithoutCalls;
      retryBufferSize = o.retryBufferSize;
      maxCallAttempts = o.maxCallAttempts;
      proxyDetector = o.proxyDetector;
      executor = o.executor;
      eventLoopGroup = o.eventLoopGroup;
      channelType = o.channelType;
      channelz = o.channelz;
    }

    /** Plaintext HTTP/2 (grpc-go's {@code WithTransportCredentials(insecure.NewCredentials())}). */
    public Builder insecure() {
      return transportCredentials(TransportCredentials.insecure());
    }

    /** How connections are secured; required. */
    public Builder transportCredentials(TransportCredentials credentials) {
      this.transportCredentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** Adds credentials whose metadata goes on every call of the channel. */
    public Builder perRpcCredentials(PerRpcCredentials credentials) {
      perRpcCredentials.add(Objects.requireNonNull(credentials, "credentials"));
      return this;
    }

    /** {@link ClientConn#dial} returns only once the channel is READY (or fails). */
    public Builder block() {
      this.block = true;
      return this;
    }

    /**
     * With {@link #block()}: fail at once when a connection attempt fails with an error that
     * retrying cannot fix (for instance an unresolvable host), instead of waiting for the timeout.
     */
    public Builder failOnNonTempDialError(boolean fail) {
      this.failOnNonTempDialError = fail;
      return this;
    }

    /** With {@link #block()}: how long to wait for READY before failing. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** The {@code :authority} every call sends, instead of the one derived from the target. */
    public Builder authority(String authority) {
      this.authority = Objects.requireNonNull(authority, "authority");
      return this;
    }

    /** A prefix for the {@code user-agent} header; ours ({@code grpc-spring/<version>}) follows. */
    public Builder userAgent(String userAgent) {
      this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
      return this;
    }

    /** Adds interceptors for every call; they run in the order added (the first sees a call first). */
    public Builder interceptors(ClientInterceptor... interceptors) {
      for (ClientInterceptor i : interceptors) {
        this.interceptors.add(Objects.requireNonNull(i, "interceptor"));
      }
      return this;
    }

    /** Adds interceptors for unary calls only (grpc-go's {@code WithChainUnaryInterceptor}). */
    public Builder unaryInterceptors(ClientInterceptor... interceptors) {
      for (ClientInterceptor i : interceptors) {
        this.unaryInterceptors.add(Objects.requireNonNull(i, "interceptor"));
      }
      return this;
    }

    /** Adds interceptors for streaming calls only (grpc-go's {@code WithChainStreamInterceptor}). */
    public Builder streamInterceptors(ClientInterceptor... interceptors) {
      for (ClientInterceptor i : interceptors) {
        this.streamInterceptors.add(Objects.requireNonNull(i, "interceptor"));
      }
      return this;
    }

    /**
     * The service config used until (or unless) the resolver provides one, as JSON. It is parsed
     * when the channel is dialed; an invalid one fails the dial. Replaces a typed default.
     */
    public Builder defaultServiceConfig(String json) {
      this.defaultServiceConfigJson = Objects.requireNonNull(json, "json");
      this.defaultServiceConfig = null;
      return this;
    }

    /**
     * The service config used until (or unless) the resolver provides one, made with {@link
     * ServiceConfig#newBuilder()} (already checked, so it cannot fail the dial). Replaces a JSON
     * default.
     */
    public Builder defaultServiceConfig(ServiceConfig config) {
      this.defaultServiceConfig = Objects.requireNonNull(config, "config");
      this.defaultServiceConfigJson = null;
      return this;
    }

    /** Connection backoff parameters (connection-backoff.md: 1 s, 1.6, 0.2, 120 s by default). */
    public Builder connectBackoff(
        Duration initialBackoff, double multiplier, double jitter, Duration maxBackoff) {
      this.initialBackoff = positive(initialBackoff, "initialBackoff");
      if (!(multiplier >= 1.0)) {
        throw new IllegalArgumentException("backoff multiplier must be >= 1, was " + multiplier);
      }
      if (!(jitter >= 0 && jitter <= 1)) {
        throw new IllegalArgumentException("backoff jitter must be in [0, 1], was " + jitter);
      }
      this.backoffMultiplier = multiplier;
      this.backoffJitter = jitter;
      this.maxBackoff = positive(maxBackoff, "maxBackoff");
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "maxBackoff " + maxBackoff + " is less than initialBackoff " + initialBackoff);
      }
      return this;
    }

    /** The least time each connection attempt gets (20 s by default). */
    public Builder minConnectTimeout(Duration minConnectTimeout) {
      this.minConnectTimeout = positive(minConnectTimeout, "minConnectTimeout");
      return this;
    }

    /** Turns off retries, including transparent ones. */
    public Builder disableRetry() {
      this.disableRetry = true;
      return this;
    }

    /**
     * The most bytes all of the channel's uncommitted calls may keep for replay (16 MiB by
     * default); a call that would pass it commits to its current attempt and is not retried.
     */
    public Builder retryBufferSize(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("retryBufferSize must be >= 0, got " + bytes);
      }
      this.retryBufferSize = bytes;
      return this;
    }

    /**
     * The most attempts a call makes under a retry policy (5 by default, grpc-go's {@code
     * WithMaxCallAttempts}); a policy's larger {@code maxAttempts} is lowered to this.
     */
    public Builder maxCallAttempts(int attempts) {
      if (attempts < 2) {
        throw new IllegalArgumentException("maxCallAttempts must be >= 2, got " + attempts
            + "; use disableRetry() to turn retries off");
      }
      this.maxCallAttempts = attempts;
      return this;
    }

    /** Ignores service configs from the resolver; the default service config applies. */
    public Builder disableServiceConfig() {
      this.disableServiceConfig = true;
      return this;
    }

    /**
     * Turns client-side health checking off (grpc-go's {@code WithDisableHealthCheck}): a service
     * config's {@code healthCheckConfig} then opens no {@code Health/Watch} streams, and every
     * connected subchannel counts as READY.
     */
    public Builder disableHealthCheck() {
      this.disableHealthCheck = true;
      return this;
    }

    /**
     * How long the channel may go without calls before it drops its connections and enters IDLE
     * (30 min by default); {@link Duration#ZERO} keeps it out of idle mode.
     */
    public Builder idleTimeout(Duration idleTimeout) {
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      if (idleTimeout.isNegative()) {
        throw new IllegalArgumentException("idleTimeout must not be negative, was " + idleTimeout);
      }
      this.idleTimeout = idleTimeout;
      return this;
    }

    /** Options every call starts from (grpc-go's {@code WithDefaultCallOptions}). */
    public Builder defaultCallOptions(CallOptions options) {
      this.defaultCallOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * The HTTP/2 receive window of each stream (1 MiB by default). Setting it fixes the window:
     * it no longer grows with the measured bandwidth-delay product (as grpc-go's option).
     */
    public Builder initialWindowSize(int bytes) {
      this.initialWindowSize = window(bytes);
      this.bdpPing = false;
      return this;
    }

    /**
     * The HTTP/2 receive window of the connection (1 MiB by default). Setting it fixes the
     * windows: they no longer grow with the measured bandwidth-delay product.
     */
    public Builder initialConnWindowSize(int bytes) {
      this.initialConnWindowSize = window(bytes);
      this.bdpPing = false;
      return this;
    }

    /** The largest response header list accepted, as SETTINGS_MAX_HEADER_LIST_SIZE (8 KiB). */
    public Builder maxHeaderListSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxHeaderListSize must be > 0, was " + bytes);
      }
      this.maxHeaderListSize = bytes;
      return this;
    }

    /** Adds a resolver for this channel only; it wins over a global one with the same scheme. */
    public Builder resolver(ResolverBuilder resolver) {
      resolvers.add(Objects.requireNonNull(resolver, "resolver"));
      return this;
    }

    /** The scheme for targets without a registered one (the registry's default otherwise). */
    public Builder defaultScheme(String scheme) {
      this.defaultScheme = Objects.requireNonNull(scheme, "scheme");
      return this;
    }

    /** Runs call callbacks on {@code executor} (unless a call sets its own). */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Runs connections on {@code group}, with channels of {@code channelType} (for instance an
     * epoll group with {@code EpollSocketChannel}). The caller owns the group and shuts it down.
     */
    public Builder eventLoopGroup(
        EventLoopGroup group, Class<? extends io.netty.channel.Channel> channelType) {
      this.eventLoopGroup = Objects.requireNonNull(group, "group");
      this.channelType = Objects.requireNonNull(channelType, "channelType");
      return this;
    }

    /**
     * Reports the channel, its subchannels and connections to {@code channelz} instead of the
     * process-wide registry (tests use this to see only their own).
     */
    public Builder channelz(Channelz channelz) {
      this.channelz = Objects.requireNonNull(channelz, "channelz");
      return this;
    }

    /**
     * Sends a keepalive PING when nothing has been read for {@code time} (gRFC A8; off by
     * default). Values under {@link #MIN_KEEPALIVE_TIME} (10 s) are raised to it. Servers limit
     * how often clients may ping (grpc-java and grpc-go: once per 5 minutes by default) and answer
     * more with GOAWAY(ENHANCE_YOUR_CALM, "too_many_pings"); the channel then doubles its time.
     */
    public Builder keepAliveTime(Duration time) {
      this.keepAliveTime = positive(time, "keepAliveTime");
      return this;
    }

    /**
     * How long a keepalive PING may go unanswered (nothing read) before the connection is closed
     * and its calls fail with UNAVAILABLE (20 s by default).
     */
    public Builder keepAliveTimeout(Duration timeout) {
      this.keepAliveTimeout = positive(timeout, "keepAliveTimeout");
      return this;
    }

    /** Whether keepalive PINGs go out while no call is open (false by default). */
    public Builder keepAliveWithoutCalls(boolean withoutCalls) {
      this.keepAliveWithoutCalls = withoutCalls;
      return this;
    }

    /**
     * Decides which connections go through an HTTP CONNECT proxy (gRFC A1). By default the
     * channel reads {@code grpc_proxy}/{@code https_proxy} and {@code no_proxy} from the
     * environment when it is dialed ({@link ProxyDetector#fromEnvironment()}).
     */
    public Builder proxyDetector(ProxyDetector detector) {
      this.proxyDetector = Objects.requireNonNull(detector, "detector");
      return this;
    }

    /** Every TCP connection goes through {@code proxy}, whatever the environment says. */
    public Builder proxy(HttpConnectProxy proxy) {
      return proxyDetector(ProxyDetector.of(proxy, NoProxyList.empty()));
    }

    /** Connections never go through a proxy, whatever the environment says. */
    public Builder noProxy() {
      return proxyDetector(ProxyDetector.none());
    }

    /** For tests: lowers the 10 s floor of the keepalive time. */
    Builder minKeepAliveTimeForTest(Duration min) {
      this.minKeepAliveTime = Objects.requireNonNull(min, "min");
      return this;
    }

    public DialOptions build() {
      return new DialOptions(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + d);
      }
      return d;
    }

    private static int window(int bytes) {
      if (bytes < 65535) {
        throw new IllegalArgumentException(
            "HTTP/2 windows must be at least 65535 bytes (the protocol default), was " + bytes);
      }
      return bytes;
    }
  }
}
