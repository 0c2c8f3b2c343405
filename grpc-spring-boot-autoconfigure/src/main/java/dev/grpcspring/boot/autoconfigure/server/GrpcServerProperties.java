package dev.grpcspring.boot.autoconfigure.server;

import dev.grpcspring.boot.autoconfigure.common.InboundProperties;
import dev.grpcspring.boot.autoconfigure.common.ShutdownProperties;
import dev.grpcspring.credentials.ClientAuth;
import dev.grpcspring.credentials.TlsProvider;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Configuration of the gRPC server, under {@code grpc.server}. The nested shape follows Spring
 * Boot's own {@code spring.grpc.server} keys, so migrating is a prefix swap.
 */
@ConfigurationProperties("grpc.server")
public class GrpcServerProperties {

  /**
   * Whether to start the gRPC server. When unset, it starts only if the application declares at
   * least one @GrpcService bean; true starts it even without any (health, reflection and channelz
   * alone), false never starts it.
   */
  private @Nullable Boolean enabled;

  /**
   * Port the server listens on; 0 picks a free port, published as local.grpc.server.port. -1
   * turns the main network listener off, leaving the in-process one (in-process.name) and the
   * named ones (listeners.*).
   */
  private int port = 9090;

  /** Network address to bind to, as a host name or IP literal. All interfaces when unset. */
  private @Nullable String address;

  /**
   * Maximum number of concurrent calls (HTTP/2 streams) a client may open on one connection.
   * Unlimited when unset.
   */
  private @Nullable Integer maxConcurrentStreams;

  /**
   * Time a new connection has to finish the HTTP/2 handshake (preface and settings) before it is
   * closed. The transport's default when unset.
   */
  @DurationUnit(ChronoUnit.SECONDS)
  private @Nullable Duration connectionSetupTimeout;

  /**
   * HTTP/2 flow-control window per stream and per connection. When unset, the transport starts at
   * 1 MiB and grows the window to the measured bandwidth-delay product (BDP pings, up to 8 MiB);
   * setting it fixes the window.
   */
  @DataSizeUnit(DataUnit.BYTES)
  private @Nullable DataSize flowControlWindow;

  /**
   * Number of I/O threads (Netty event loops) serving the server's connections; each connection
   * stays on one. One per core when unset, which keeps latency low with many connections. More
   * can answer more when few connections carry many calls and handlers run on the I/O threads
   * (grpc.server.executor.direct).
   */
  private @Nullable Integer eventLoopThreads;

  @NestedConfigurationProperty
  private final InboundProperties inbound = new InboundProperties();

  @NestedConfigurationProperty
  private final ShutdownProperties shutdown = new ShutdownProperties();

  private final Executor executor = new Executor();

  private final Ssl ssl = new Ssl();

  @NestedConfigurationProperty
  private final GrpcServerKeepAliveProperties keepalive = new GrpcServerKeepAliveProperties();

  private final InProcess inProcess = new InProcess();

  /**
   * Further addresses to listen on, by name, each with its own port or Unix socket ("address:
   * unix:/path") and its own TLS ("ssl.bundle", "ssl.client-auth", "ssl.provider"; plaintext
   * without a bundle, nothing inherited from grpc.server.ssl). They serve the same services as
   * the main listener; local.grpc.server.port stays the first TCP port.
   */
  private final Map<String, GrpcServerListenerProperties> listeners =
      new LinkedHashMap<>();

  public @Nullable Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(@Nullable Boolean enabled) {
    this.enabled = enabled;
  }

  public int getPort() {
    return port;
  }

  public void setPort(int port) {
    this.port = port;
  }

  public @Nullable String getAddress() {
    return address;
  }

  public void setAddress(@Nullable String address) {
    this.address = address;
  }

  public @Nullable Integer getEventLoopThreads() {
    return eventLoopThreads;
  }

  public void setEventLoopThreads(@Nullable Integer eventLoopThreads) {
    this.eventLoopThreads = eventLoopThreads;
  }

  public @Nullable Integer getMaxConcurrentStreams() {
    return maxConcurrentStreams;
  }

  public void setMaxConcurrentStreams(@Nullable Integer maxConcurrentStreams) {
    this.maxConcurrentStreams = maxConcurrentStreams;
  }

  public @Nullable Duration getConnectionSetupTimeout() {
    return connectionSetupTimeout;
  }

  public void setConnectionSetupTimeout(@Nullable Duration connectionSetupTimeout) {
    this.connectionSetupTimeout = connectionSetupTimeout;
  }

  public @Nullable DataSize getFlowControlWindow() {
    return flowControlWindow;
  }

  public void setFlowControlWindow(@Nullable DataSize flowControlWindow) {
    this.flowControlWindow = flowControlWindow;
  }

  public InboundProperties getInbound() {
    return inbound;
  }

  public ShutdownProperties getShutdown() {
    return shutdown;
  }

  public Ssl getSsl() {
    return ssl;
  }

  public Executor getExecutor() {
    return executor;
  }

  public GrpcServerKeepAliveProperties getKeepalive() {
    return keepalive;
  }

  public InProcess getInProcess() {
    return inProcess;
  }

  public Map<String, GrpcServerListenerProperties> getListeners() {
    return listeners;
  }

  /** The in-process listener, reached without sockets by targets {@code in-process:<name>}. */
  public static class InProcess {

    /**
     * Name to serve in-process under, besides the network port; no in-process listener when
     * unset. Two servers in one JVM cannot share a name.
     */
    private @Nullable String name;

    public @Nullable String getName() {
      return name;
    }

    public void setName(@Nullable String name) {
      this.name = name;
    }
  }

  /** Where service handlers run. */
  public static class Executor {

    /**
     * Whether to run service handlers directly on the transport's I/O threads. Only for handlers
     * that never block; otherwise one slow call stalls every connection of that thread.
     */
    private boolean direct = false;

    /**
     * Maximum number of threads of the handler pool (200 when unset, as Tomcat's worker pool).
     * Threads start only when no idle one can take a call and end after a minute idle; calls
     * queue once all are busy. Ignored when virtual threads are enabled.
     */
    private @Nullable Integer threads;

    public boolean isDirect() {
      return direct;
    }

    public void setDirect(boolean direct) {
      this.direct = direct;
    }

    public @Nullable Integer getThreads() {
      return threads;
    }

    public void setThreads(@Nullable Integer threads) {
      this.threads = threads;
    }
  }

  /** TLS for the server, from a Spring Boot SSL bundle. */
  public static class Ssl {

    /**
     * Whether the server uses TLS. When unset, TLS is on exactly when a bundle is named; true
     * without a bundle fails at startup.
     */
    private @Nullable Boolean enabled;

    /**
     * Name of the SSL bundle (spring.ssl.bundle.pem|jks.<name>) with the server's key and
     * certificate chain, and with the trust store for client certificates. Setting it turns TLS
     * on. Reloads of the bundle reach new connections without a restart.
     */
    private @Nullable String bundle;

    /** Whether clients must present a certificate: none, optional or require. */
    private ClientAuth clientAuth = ClientAuth.NONE;

    /**
     * TLS implementation: auto (OpenSSL when netty-tcnative-boringssl-static is on the class
     * path, else the JDK's), jdk or openssl.
     */
    private TlsProvider provider = TlsProvider.AUTO;

    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }

    public @Nullable String getBundle() {
      return bundle;
    }

    public void setBundle(@Nullable String bundle) {
      this.bundle = bundle;
    }

    public ClientAuth getClientAuth() {
      return clientAuth;
    }

    public void setClientAuth(ClientAuth clientAuth) {
      this.clientAuth = clientAuth;
    }

    public TlsProvider getProvider() {
      return provider;
    }

    public void setProvider(TlsProvider provider) {
      this.provider = provider;
    }
  }
}
