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
import java.util.List;
import java.util.concurrent.Executor;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/** Builds the server from {@code grpc.server.*}, the executor provider and the customizers. */
public class DefaultGrpcServerFactory implements GrpcServerFactory {

  /** The {@code grpc.server.port} that turns the network listener off. */
  static final int NO_NETWORK = -1;

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
    builder.credentials(credentials(p.getSsl()));
    p.getKeepalive().applyTo(builder);
    for (GrpcServerBuilderCustomizer customizer : customizers) {
      customizer.customize(builder);
    }
    return builder;
  }

  /** TLS from {@code grpc.server.ssl.*}; plaintext unless a bundle is named or TLS enabled. */
  private ServerCredentials credentials(GrpcServerProperties.Ssl ssl) {
    boolean hasBundle = ssl.getBundle() != null && !ssl.getBundle().isBlank();
    boolean enabled = ssl.getEnabled() != null ? ssl.getEnabled() : hasBundle;
    if (enabled && !hasBundle) {
      throw new InvalidConfigurationPropertyValueException("grpc.server.ssl.enabled", true,
          "TLS needs the server's key and certificate: name an SSL bundle in "
              + "grpc.server.ssl.bundle.");
    }
    if (!enabled) {
      if (ssl.getClientAuth() != ClientAuth.NONE) {
        throw new InvalidConfigurationPropertyValueException("grpc.server.ssl.client-auth",
            ssl.getClientAuth(), "Client certificates need TLS: name an SSL bundle in "
                + "grpc.server.ssl.bundle.");
      }
      return ServerCredentials.insecure();
    }
    return sslBundles.serverCredentials(ssl.getBundle(), "grpc.server.ssl.bundle",
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
    if (p.getPort() == NO_NETWORK && !inProcess) {
      throw new InvalidConfigurationPropertyValueException("grpc.server.port", p.getPort(),
          "-1 turns the network listener off, which leaves the server unreachable: set"
              + " grpc.server.in-process.name too, or grpc.server.enabled=false for no server.");
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
    if (inProcess) {
      builder.inProcessName(inProcessName);
    }
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
