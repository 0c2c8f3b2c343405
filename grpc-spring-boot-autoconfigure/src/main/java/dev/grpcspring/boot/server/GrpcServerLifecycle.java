package dev.grpcspring.boot.server;

import dev.grpcspring.server.Server;
import dev.grpcspring.server.ServerServiceDefinition;
import java.io.IOException;
import java.net.BindException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Starts the gRPC server with the application context, in the phase where Spring Boot starts its
 * web server, and binds the port in {@link #start()}, so that port 0 is resolved by the operating
 * system. The bound port is published as {@value #LOCAL_PORT_PROPERTY}. {@link #stop()} cancels
 * the calls still running; the graceful part of a shutdown happens earlier, in
 * {@link GrpcServerGracefulShutdownLifecycle}.
 */
public class GrpcServerLifecycle implements SmartLifecycle, ApplicationContextAware {

  /** The phase Spring Boot starts and stops its web server in. */
  public static final int START_STOP_PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

  /** Property that holds the port the gRPC server bound. */
  public static final String LOCAL_PORT_PROPERTY = "local.grpc.server.port";

  private static final String PROPERTY_SOURCE = "grpc.server.ports";
  private static final Log log = LogFactory.getLog(GrpcServerLifecycle.class);

  private final GrpcServerFactory factory;
  private final GrpcServiceDiscoverer discoverer;
  private final int configuredPort;
  private final Duration terminationTimeout;
  private final boolean forcedByProperty;
  private @Nullable ApplicationContext context;
  private volatile @Nullable Server server;

  /**
   * @param configuredPort the port asked for, to name in errors
   * @param terminationTimeout how long {@link #stop()} waits for connections to close after
   *     cancelling what is left
   */
  public GrpcServerLifecycle(GrpcServerFactory factory, GrpcServiceDiscoverer discoverer,
      int configuredPort, Duration terminationTimeout) {
    this(factory, discoverer, configuredPort, terminationTimeout, false);
  }

  /**
   * @param forcedByProperty whether {@code grpc.server.enabled=true} asked for the server, which
   *     the startup log line then names as the reason it started
   */
  public GrpcServerLifecycle(GrpcServerFactory factory, GrpcServiceDiscoverer discoverer,
      int configuredPort, Duration terminationTimeout, boolean forcedByProperty) {
    this.factory = factory;
    this.discoverer = discoverer;
    this.configuredPort = configuredPort;
    this.terminationTimeout = terminationTimeout;
    this.forcedByProperty = forcedByProperty;
  }

  @Override
  public void setApplicationContext(ApplicationContext context) {
    this.context = context;
  }

  @Override
  public void start() {
    if (server != null) {
      return;
    }
    List<ServerServiceDefinition> services = discoverer.findServices();
    Server s = factory.createServer(services);
    try {
      s.start();
    } catch (IOException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BindException) {
          throw new GrpcPortInUseException(configuredPort, e);
        }
      }
      throw new IllegalStateException("The gRPC server failed to start: " + e.getMessage(), e);
    }
    server = s;
    int port = s.getPort();
    if (port >= 0) {
      // An in-process-only server (grpc.server.port=-1) has no port to publish.
      publishPort(port);
    }
    // Channelz is a @GrpcService bean of the starter's, not one of the application's.
    long own = services.stream()
        .filter(d -> !d.getServiceDescriptor().getName().equals("grpc.channelz.v1.Channelz"))
        .count();
    String why = forcedByProperty ? "grpc.server.enabled=true"
        : "the application declares " + own + " gRPC service" + (own == 1 ? "" : "s")
            + " (@GrpcService beans)";
    log.info("grpc-spring server (dev.grpcspring) started on " + s.getListenAddresses()
        + " serving " + s.getServices().stream().map(d -> d.getServiceDescriptor().getName())
        .toList() + "; started because " + why);
    publish(new GrpcServerStartedEvent(s, port));
  }

  @Override
  public void stop() {
    Server s = server;
    if (s == null) {
      return;
    }
    server = null;
    // Read before the shutdown, which closes the listeners.
    List<SocketAddress> addresses = s.getListenAddresses();
    s.shutdownNow();
    boolean terminated = false;
    try {
      terminated = s.awaitTermination(terminationTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!terminated) {
      log.warn("The gRPC server's connections did not close within " + terminationTimeout);
    } else {
      log.info("grpc-spring server on " + addresses + " stopped");
    }
    publish(new GrpcServerStoppedEvent(s, terminated));
  }

  /**
   * Outside an application context (a lifecycle made by hand) there is no one to tell; failing
   * there would leave a started server running, or a stopped one unreported.
   */
  private void publish(Object event) {
    ApplicationContext c = context;
    if (c != null) {
      c.publishEvent(event);
    }
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }

  @Override
  public int getPhase() {
    return START_STOP_PHASE;
  }

  /** The running server, or {@code null} before start and after stop. */
  public @Nullable Server getServer() {
    return server;
  }

  @SuppressWarnings("unchecked")
  private void publishPort(int port) {
    for (ApplicationContext c = context; c != null; c = c.getParent()) {
      if (c.getEnvironment() instanceof ConfigurableEnvironment env) {
        MutablePropertySources sources = env.getPropertySources();
        PropertySource<?> source = sources.get(PROPERTY_SOURCE);
        if (source == null) {
          source = new MapPropertySource(PROPERTY_SOURCE, new HashMap<>());
          sources.addFirst(source);
        }
        ((Map<String, Object>) source.getSource()).put(LOCAL_PORT_PROPERTY, port);
      }
    }
  }
}
