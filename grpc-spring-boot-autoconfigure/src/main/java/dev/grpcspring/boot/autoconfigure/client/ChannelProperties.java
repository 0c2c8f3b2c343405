package dev.grpcspring.boot.autoconfigure.client;

import dev.grpcspring.boot.autoconfigure.common.ClientSslProperties;
import dev.grpcspring.boot.autoconfigure.common.InboundProperties;
import dev.grpcspring.boot.autoconfigure.common.ShutdownProperties;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Configuration of one channel, {@code grpc.client.channel.<name>}: where it connects, how it
 * dials, and the options every call on it gets unless the call sets its own.
 */
public class ChannelProperties {

  /**
   * Target to dial, as a gRPC target URI: "dns:///host:port", "static://host1:port,host2:port",
   * "unix:/path", or a plain "host:port".
   */
  private @Nullable String target;

  /** Authority (":authority" header and TLS server name) calls send. The target's when unset. */
  private @Nullable String authority;

  /** Prefix of the "user-agent" header, before the library's own product token. */
  private @Nullable String userAgent;

  /** Scheme used for targets without one. The channel's default (passthrough) when unset. */
  private @Nullable String defaultScheme;

  /**
   * Load-balancing policy, such as "pick_first" or "round_robin", when the resolver gives no
   * service config that names one.
   */
  private @Nullable String loadBalancingPolicy;

  /** Bean names of client interceptors for this channel, the first one sees each call first. */
  private List<String> interceptors = new ArrayList<>();

  /**
   * Generated stub classes to register as beans on this channel, by fully qualified name (such as
   * "com.example.FooGrpc.FooBlockingStub"), each named "<channel><StubSimpleName>". Read from
   * this channel's own entry only: a list under "default" is not inherited.
   */
  private List<String> stubs = new ArrayList<>();

  /** Time without calls after which the channel closes its connections, reopening on demand. */
  @DurationUnit(ChronoUnit.SECONDS)
  private @Nullable Duration idleTimeout;

  /** Deadline of every call that sets none, counted from when the call starts. */
  @DurationUnit(ChronoUnit.MILLIS)
  private @Nullable Duration deadline;

  /**
   * Whether calls wait for a ready connection instead of failing fast with UNAVAILABLE when the
   * channel is not connected.
   */
  private @Nullable Boolean waitForReady;

  /** Compressor for request messages, "gzip" or "deflate". Uncompressed when unset. */
  private @Nullable String compression;

  /**
   * HTTP/2 flow-control window per stream and per connection. When unset, the transport starts at
   * 1 MiB and grows the window to the measured bandwidth-delay product (BDP pings, up to 8 MiB);
   * setting it fixes the window.
   */
  @DataSizeUnit(DataUnit.BYTES)
  private @Nullable DataSize flowControlWindow;

  /** Whether failed calls may be retried, transparently or by a service config's retry policy. */
  private boolean retryEnabled = true;

  /**
   * Whether to use a service config the name resolver provides; when false, only the service
   * config configured here applies.
   */
  private boolean resolverServiceConfigEnabled = true;

  @NestedConfigurationProperty
  private final InboundProperties inbound = new InboundProperties();

  private final Outbound outbound = new Outbound();

  private final Backoff backoff = new Backoff();

  @NestedConfigurationProperty
  private final ShutdownProperties shutdown = new ShutdownProperties();

  private final ServiceConfigProperties serviceConfig = new ServiceConfigProperties();

  private final Ssl ssl = new Ssl();

  /** Credentials sent on every call of the channel. */
  private final ChannelAuthProperties auth = new ChannelAuthProperties();

  @NestedConfigurationProperty
  private final ChannelKeepAliveProperties keepalive = new ChannelKeepAliveProperties();

  @NestedConfigurationProperty
  private final ChannelProxyProperties proxy = new ChannelProxyProperties();

  @NestedConfigurationProperty
  private final ChannelDnsProperties dns = new ChannelDnsProperties();

  public @Nullable String getTarget() {
    return target;
  }

  public void setTarget(@Nullable String target) {
    this.target = target;
  }

  public @Nullable String getAuthority() {
    return authority;
  }

  public void setAuthority(@Nullable String authority) {
    this.authority = authority;
  }

  public @Nullable String getUserAgent() {
    return userAgent;
  }

  public void setUserAgent(@Nullable String userAgent) {
    this.userAgent = userAgent;
  }

  public @Nullable String getDefaultScheme() {
    return defaultScheme;
  }

  public void setDefaultScheme(@Nullable String defaultScheme) {
    this.defaultScheme = defaultScheme;
  }

  public List<String> getStubs() {
    return stubs;
  }

  public void setStubs(List<String> stubs) {
    this.stubs = stubs;
  }

  public @Nullable String getLoadBalancingPolicy() {
    return loadBalancingPolicy;
  }

  public void setLoadBalancingPolicy(@Nullable String loadBalancingPolicy) {
    this.loadBalancingPolicy = loadBalancingPolicy;
  }

  public List<String> getInterceptors() {
    return interceptors;
  }

  public void setInterceptors(List<String> interceptors) {
    this.interceptors = interceptors;
  }

  public @Nullable Duration getIdleTimeout() {
    return idleTimeout;
  }

  public void setIdleTimeout(@Nullable Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  public @Nullable Duration getDeadline() {
    return deadline;
  }

  public void setDeadline(@Nullable Duration deadline) {
    this.deadline = deadline;
  }

  public @Nullable Boolean getWaitForReady() {
    return waitForReady;
  }

  public void setWaitForReady(@Nullable Boolean waitForReady) {
    this.waitForReady = waitForReady;
  }

  public @Nullable String getCompression() {
    return compression;
  }

  public void setCompression(@Nullable String compression) {
    this.compression = compression;
  }

  public @Nullable DataSize getFlowControlWindow() {
    return flowControlWindow;
  }

  public void setFlowControlWindow(@Nullable DataSize flowControlWindow) {
    this.flowControlWindow = flowControlWindow;
  }

  public boolean isRetryEnabled() {
    return retryEnabled;
  }

  public void setRetryEnabled(boolean retryEnabled) {
    this.retryEnabled = retryEnabled;
  }

  public boolean isResolverServiceConfigEnabled() {
    return resolverServiceConfigEnabled;
  }

  public void setResolverServiceConfigEnabled(boolean resolverServiceConfigEnabled) {
    this.resolverServiceConfigEnabled = resolverServiceConfigEnabled;
  }

  public InboundProperties getInbound() {
    return inbound;
  }

  public Outbound getOutbound() {
    return outbound;
  }

  public Backoff getBackoff() {
    return backoff;
  }

  public ShutdownProperties getShutdown() {
    return shutdown;
  }

  public Ssl getSsl() {
    return ssl;
  }

  public ChannelAuthProperties getAuth() {
    return auth;
  }

  public ChannelKeepAliveProperties getKeepalive() {
    return keepalive;
  }

  public ChannelProxyProperties getProxy() {
    return proxy;
  }

  public ChannelDnsProperties getDns() {
    return dns;
  }

  public ServiceConfigProperties getServiceConfig() {
    return serviceConfig;
  }

  /** Limits on what calls send. */
  public static class Outbound {

    private final Message message = new Message();

    public Message getMessage() {
      return message;
    }

    /** Limits on request messages. */
    public static class Message {

      /**
       * Maximum size of one request message; a larger one fails the call with RESOURCE_EXHAUSTED
       * before it is sent. Unlimited when unset.
       */
      @DataSizeUnit(DataUnit.BYTES)
      private @Nullable DataSize maxSize;

      public @Nullable DataSize getMaxSize() {
        return maxSize;
      }

      public void setMaxSize(@Nullable DataSize maxSize) {
        this.maxSize = maxSize;
      }
    }
  }

  /** Reconnect backoff (gRPC connection backoff): how long to wait between connection attempts. */
  public static class Backoff {

    /** Delay after the first failed connection attempt. */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration baseDelay = Duration.ofSeconds(1);

    /** Factor by which the delay grows after each further failed attempt. */
    private double multiplier = 1.6;

    /** Fraction by which each delay is randomly spread, between 0 and 1. */
    private double jitter = 0.2;

    /** Upper bound of the delay between attempts. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration maxDelay = Duration.ofSeconds(120);

    /** Minimum time one connection attempt gets before it counts as failed. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration minConnectTimeout = Duration.ofSeconds(20);

    public Duration getBaseDelay() {
      return baseDelay;
    }

    public void setBaseDelay(Duration baseDelay) {
      this.baseDelay = baseDelay;
    }

    public double getMultiplier() {
      return multiplier;
    }

    public void setMultiplier(double multiplier) {
      this.multiplier = multiplier;
    }

    public double getJitter() {
      return jitter;
    }

    public void setJitter(double jitter) {
      this.jitter = jitter;
    }

    public Duration getMaxDelay() {
      return maxDelay;
    }

    public void setMaxDelay(Duration maxDelay) {
      this.maxDelay = maxDelay;
    }

    public Duration getMinConnectTimeout() {
      return minConnectTimeout;
    }

    public void setMinConnectTimeout(Duration minConnectTimeout) {
      this.minConnectTimeout = minConnectTimeout;
    }
  }

  /** TLS to the channel's servers; the settings are those every client connection shares. */
  public static class Ssl extends ClientSslProperties {}
}
