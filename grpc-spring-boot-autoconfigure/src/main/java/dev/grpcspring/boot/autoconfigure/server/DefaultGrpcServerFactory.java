package dev.grpcspring.boot.autoconfigure.server;

import dev.grpcspring.boot.autoconfigure.ssl.GrpcSslBundles;
import dev.grpcspring.boot.server.GrpcServerBuilderCustomizer;
import dev.grpcspring.boot.server.GrpcServerFactory;
import dev.grpcspring.credentials.ClientAuth;
import dev.grpcspring.credentials.ServerCredentials;
import dev.grpcspring.server.Server;
import dev.grpcspring.server.ServerBuilder;
import dev.grpcspring.server.ServerServiceDefinition;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/** Builds the server from {@code grpc.server.*}, the executor provider and the customizers. */
public class DefaultGrpcServerFactory implements GrpcServerFactory {

  /** The {@code grpc.server.port} that turns the network listener off. */
  static final int NO_NETWORK = -1;

  /** How {@code grpc.server.listeners.<name>.address} names a Unix domain socket. */
  static final String UNIX_PREFIX = "unix:";

  private final GrpcServerProperties properties;
  private final GrpcServerExecutorProvider executorProvider;
  private final List<GrpcServerBuilderCustomizer> customizers;
  private final GrpcSslBundles sslBundles;

  /** A factory without SSL bundles: {@code grpc.server.ssl.*} fails if TLS is asked for. */
  public DefaultGrpcServerFactory(GrpcServerProperties properties,
      GrpcServerExecutorProvider executorProvider, List<GrpcServerBuilderCustomizer> customizers) {
    this(properties, executorProvider, customizers, new GrpcSslBundles(null));
  }

  public DefaultGrpcServerFactory(GrpcServerProperties properties,
      GrpcServerExecutorProvider executorProvider, List<GrpcServerBuilderCustomizer> customizers,
      GrpcSslBundles sslBundles) {
    this.properties = properties;
    this.executorProvider = executorProvider;
    this.customizers = List.copyOf(customizers);
    this.sslBundles = sslBundles;
  }

  @Override
  public Server createServer(List<ServerServiceDefinition> services) {
    return builder(services).build();
  }

  /** The builder with every property applied and the customizers run. */
  public ServerBuilder builder(List<ServerServiceDefinition> services) {
    GrpcServerProperties p = properties;
    ServerBuilder builder = Server.builder();
    listen(builder, p);
    builder.credentials(credentials(p.getSsl(), "grpc.server.ssl"));
    for (Map.Entry<String, GrpcServerListenerProperties> e : p.getListeners().entrySet()) {
      String prefix = "grpc.server.listeners." + e.getKey();
      builder.address(listenerAddress(e.getValue(), prefix),
          credentials(e.getValue().getSsl(), prefix + ".ssl"));
    }
    for (ServerServiceDefinition service : services) {
      builder.registerService(service);
    }
    Executor executor = executorProvider.getExecutor();
    if (executor == null) {
      builder.directExecutor();
    } else {
      builder.executor(executor);
    }
    builder.maxInboundMessageSize(
        bytes(p.getInbound().getMessage().getMaxSize(), "inbound.message.max-size"));
    builder.maxInboundMetadataSize(
        bytes(p.getInbound().getMetadata().getMaxSize(), "inbound.metadata.max-size"));
    if (p.getMaxConcurrentStreams() != null && p.getMaxConcurrentStreams() <= 0) {
      throw new InvalidConfigurationPropertyValueException("grpc.server.max-concurrent-streams",
          p.getMaxConcurrentStreams(), "Set a positive number, or leave it unset for no limit.");
    }
    if (p.getMaxConcurrentStreams() != null) {
      builder.maxConcurrentStreams(p.getMaxConcurrentStreams());
    }
    Integer loops = p.getEventLoopThreads();
    if (loops != null && loops <= 0) {
      throw new InvalidConfigurationPropertyValueException("grpc.server.event-loop-threads",
          loops, "Set a positive number of I/O threads, or leave it unset for one per core.");
    }
    if (loops != null) {
      builder.eventLoopThreads(loops);
    }
    if (p.getFlowControlWindow() != null) {
      builder.initialFlowControlWindow(bytes(p.getFlowControlWindow(), "flow-control-window"));
    }
    if (p.getConnectionSetupTimeout() != null
        && (p.getConnectionSetupTimeout().isNegative() || p.getConnectionSetupTimeout().isZero())) {
      throw new InvalidConfigurationPropertyValueException("grpc.server.connection-setup-timeout",
          p.getConnectionSetupTimeout(), "Set a positive duration.");
    }
    if (p.getConnectionSetupTimeout() != null) {
      builder.handshakeTimeout(p.getConnectionSetupTimeout());
    }
    p.getKeepalive().applyTo(builder);
    for (GrpcServerBuilderCustomizer customizer : customizers) {
      customizer.customize(builder);
    }
    return builder;
  }

  /**
   * TLS from {@code <prefix>.*} ({@code grpc.server.ssl} or a listener's); plaintext unless a
   * bundle is named or TLS enabled.
   */
  private ServerCredentials credentials(GrpcServerProperties.Ssl ssl, String prefix) {
    String bundle = ssl.getBundle();
    boolean hasBundle = bundle != null && !bundle.isBlank();
    Boolean enabledProperty = ssl.getEnabled();
    boolean enabled = enabledProperty != null ? enabledProperty : hasBundle;
    if (!enabled) {
      if (ssl.getClientAuth() != ClientAuth.NONE) {
        throw new InvalidConfigurationPropertyValueException(prefix + ".client-auth",
            ssl.getClientAuth(), "Client certificates need TLS: name an SSL bundle in "
                + prefix + ".bundle.");
      }
      return ServerCredentials.insecure();
    }
    if (bundle == null || bundle.isBlank()) {
      throw new InvalidConfigurationPropertyValueException(prefix + ".enabled", true,
          "TLS needs the server's key and certificate: name an SSL bundle in "
              + prefix + ".bundle.");
    }
    return sslBundles.serverCredentials(bundle, prefix + ".bundle",
        ssl.getClientAuth(), ssl.getProvider());
  }

  private static void listen(ServerBuilder builder, GrpcServerProperties p) {
    String inProcessName = p.getInProcess().getName();
    boolean inProcess = inProcessName != null && !inProcessName.isBlank();
    boolean hasAddress = p.getAddress() != null && !p.getAddress().isBlank();
    if (p.getPort() < NO_NETWORK || p.getPort() > 65535) {
      throw new InvalidConfigurationPropertyValueException("grpc.server.port", p.getPort(),
          "A port is between 0 and 65535; 0 picks a free one, -1 turns the network listener off.");
    }
    if (p.getPort() == NO_NETWORK && !inProcess && p.getListeners().isEmpty()) {
      throw new InvalidConfigurationPropertyValueException("grpc.server.port", p.getPort(),
          "-1 turns the network listener off, which leaves the server unreachable: set"
              + " grpc.server.in-process.name or grpc.server.listeners.* too, or"
              + " grpc.server.enabled=false for no server.");
    }
    if (p.getPort() == NO_NETWORK && hasAddress) {
      throw new InvalidConfigurationPropertyValueException("grpc.server.address", p.getAddress(),
          "grpc.server.port=-1 turns the network listener off, so there is no address to bind:"
              + " remove one of the two.");
    }
    if (hasAddress) {
      builder.address(new InetSocketAddress(p.getAddress(), p.getPort()));
    } else if (p.getPort() != NO_NETWORK) {
      builder.port(p.getPort());
    }
    if (inProcess && inProcessName != null) {
      builder.inProcessName(inProcessName);
    }
  }

  /** A named listener's address: {@code unix:/path}, or a TCP port on a host or every interface. */
  private static SocketAddress listenerAddress(GrpcServerListenerProperties l, String prefix) {
    String address = l.getAddress();
    boolean hasAddress = address != null && !address.isBlank();
    if (address != null && hasAddress && address.startsWith(UNIX_PREFIX)) {
      String path = address.substring(UNIX_PREFIX.length());
      if (path.isBlank()) {
        throw new InvalidConfigurationPropertyValueException(prefix + ".address", address,
            "Name the socket file after unix:, as in unix:/run/app/grpc.sock.");
      }
      if (l.getPort() != null) {
        throw new InvalidConfigurationPropertyValueException(prefix + ".port", l.getPort(),
            "A Unix socket listener has no port: remove " + prefix + ".port, or give "
                + prefix + ".address a host instead of unix:.");
      }
      return UnixDomainSocketAddress.of(path);
    }
    if (l.getPort() == null || l.getPort() < 0 || l.getPort() > 65535) {
      throw new InvalidConfigurationPropertyValueException(prefix + ".port", l.getPort(),
          "A TCP listener needs a port between 0 and 65535 (0 picks a free one); for a Unix "
              + "socket set " + prefix + ".address=unix:/path/to.sock instead.");
    }
    return hasAddress ? new InetSocketAddress(address, l.getPort())
        : new InetSocketAddress(l.getPort());
  }

  private static int bytes(DataSize size, String key) {
    long b = size.toBytes();
    if (b <= 0 || b > Integer.MAX_VALUE) {
      throw new InvalidConfigurationPropertyValueException("grpc.server." + key, size,
          "Set a size between 1B and 2GB.");
    }
    return (int) b;
  }
}
