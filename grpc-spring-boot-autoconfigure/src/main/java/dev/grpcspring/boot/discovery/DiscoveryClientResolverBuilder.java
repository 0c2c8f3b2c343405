package dev.grpcspring.boot.discovery;

import dev.grpcspring.Attributes;
import dev.grpcspring.resolver.Resolver;
import dev.grpcspring.resolver.ResolverBuildOptions;
import dev.grpcspring.resolver.ResolverBuilder;
import dev.grpcspring.resolver.ResolverClientConn;
import dev.grpcspring.resolver.Target;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * The {@code discovery} scheme: {@code discovery:///<serviceId>} resolves to the instances Spring
 * Cloud's {@link DiscoveryClient} knows for that service.
 *
 * <ul>
 *   <li>Each instance becomes one address, {@code host} and the port from its metadata {@value
 *       #GRPC_PORT} (or the older {@value #GRPC_PORT_LEGACY}, which Consul rejects), else
 *       {@link ServiceInstance#getPort()}; instances without a usable host or port are skipped
 *       with a warning. Addresses are sorted by host, port and instance id, one per distinct
 *       {@code host:port}, with the attributes {@link #SERVICE_ID}, {@link #INSTANCE_ID} and
 *       {@link #METADATA}. A change of metadata alone is reported too.
 *   <li>The first instance (in that order) with the metadata {@value #GRPC_SERVICE_CONFIG}
 *       supplies the service config, unless the channel disables resolver service configs.
 *   <li>An empty instance list is reported as no addresses (calls fail UNAVAILABLE until an
 *       instance appears), since the registry is the authority, as with {@code etcd:///}. A
 *       {@code getInstances} that throws is reported as a resolver error (the channel keeps its
 *       last addresses) and retried after 1 s, doubling up to 30 s.
 *   <li>The registry is asked again on {@link #refresh()} (a Spring Cloud {@code HeartbeatEvent}),
 *       every {@code refreshInterval} (registries such as {@code SimpleDiscoveryClient} publish no
 *       heartbeats), and when the channel asks after a connection failure, at most once per
 *       {@link #MIN_RESOLVE_NOW_INTERVAL}. Results are reported only when they changed.
 *   <li>{@code getInstances} may block (it can be a remote call), so it runs on this builder's
 *       executor, never on the channel's serializer or scheduler; one call per target at a time.
 * </ul>
 *
 * Not in the default registry: register it per channel ({@link
 * dev.grpcspring.client.DialOptions.Builder#resolver}), as the starter does, so that other
 * libraries' scheme-less targets never reach it. {@link #close()} stops the executor it made.
 */
public final class DiscoveryClientResolverBuilder implements ResolverBuilder, AutoCloseable {
  public static final String SCHEME = "discovery";
  /** Metadata key of the instance's gRPC port. */
  public static final String GRPC_PORT = "gRPC_port";
  /** The key {@value #GRPC_PORT} replaced (Consul rejects dots); read when the new one is absent. */
  public static final String GRPC_PORT_LEGACY = "gRPC.port";
  /** Metadata key of a service config (JSON) for the channels to this service. */
  public static final String GRPC_SERVICE_CONFIG = "gRPC_service_config";
  /** The service id an address belongs to. */
  public static final Attributes.Key<String> SERVICE_ID = Attributes.Key.create("discovery-service-id");
  /** The instance id from the registry; absent when the registry gives none. */
  public static final Attributes.Key<String> INSTANCE_ID = Attributes.Key.create("discovery-instance-id");
  /** The instance's metadata, unmodifiable, sorted by key (empty when it has none). */
  public static final Attributes.Key<Map<String, String>> METADATA =
      Attributes.Key.create("discovery-metadata");
  /** The shortest time between two queries that a channel's re-resolution requests cause. */
  public static final Duration MIN_RESOLVE_NOW_INTERVAL = Duration.ofSeconds(1);
  /** The default {@code refreshInterval}. */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(30);

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final DiscoveryClient discoveryClient;
  private final Duration refreshInterval;
  private final ExecutorService executor;
  private final Set<DiscoveryClientResolver> live = ConcurrentHashMap.newKeySet();

  /** Re-queries every {@link #DEFAULT_REFRESH_INTERVAL}. */
  public DiscoveryClientResolverBuilder(DiscoveryClient discoveryClient) {
    this(discoveryClient, DEFAULT_REFRESH_INTERVAL);
  }

  /**
   * @param refreshInterval how often every target is queried again without being asked; zero
   *     turns this off (then only heartbeats and connection failures cause queries)
   */
  public DiscoveryClientResolverBuilder(DiscoveryClient discoveryClient, Duration refreshInterval) {
    this.discoveryClient = Objects.requireNonNull(discoveryClient, "discoveryClient");
    Objects.requireNonNull(refreshInterval, "refreshInterval");
    if (refreshInterval.isNegative()) {
      throw new IllegalArgumentException("refreshInterval must not be negative, got " + refreshInterval);
    }
    this.refreshInterval = refreshInterval;
    this.executor = newExecutor();
  }

  /** A few daemon threads, gone when idle: DiscoveryClient calls are rare and may block. */
  private static ExecutorService newExecutor() {
    String prefix = "grpc-discovery-" + POOLS.incrementAndGet() + "-";
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, prefix + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  @Override
  public String scheme() {
    return SCHEME;
  }

  /**
   * The service id {@code target} names.
   *
   * @throws IllegalArgumentException when it names none or has an authority
   */
  public static String serviceIdOf(Target target) {
    if (!target.authority().isEmpty()) {
      throw new IllegalArgumentException("discovery target '" + target + "' has an authority ('"
          + target.authority() + "'); write discovery:///<serviceId>");
    }
    String serviceId = target.endpoint();
    while (serviceId.endsWith("/")) {
      serviceId = serviceId.substring(0, serviceId.length() - 1);
    }
    if (serviceId.isEmpty()) {
      throw new IllegalArgumentException(
          "discovery target '" + target + "' names no service; write discovery:///<serviceId>");
    }
    return serviceId;
  }

  @Override
  public Resolver build(Target target, ResolverClientConn clientConn, ResolverBuildOptions options) {
    String serviceId = serviceIdOf(target);
    if (options.scheduler() == null) {
      throw new IllegalArgumentException("The discovery resolver needs ResolverBuildOptions.scheduler()");
    }
    DiscoveryClientResolver resolver = new DiscoveryClientResolver(serviceId, discoveryClient,
        clientConn, executor, options.scheduler(), refreshInterval.toNanos(),
        MIN_RESOLVE_NOW_INTERVAL.toNanos(), !options.disableServiceConfig(), live::remove);
    live.add(resolver);
    resolver.start();
    return resolver;
  }

  @Override
  public String defaultAuthority(Target target) {
    return serviceIdOf(target);
  }

  /**
   * Queries the registry again for every target being resolved, now (or right after a query in
   * flight): for a {@code HeartbeatEvent}, which says the registry's view may have changed.
   */
  public void refresh() {
    for (DiscoveryClientResolver r : live) {
      r.refresh();
    }
  }

  /** How many targets are being resolved. */
  public int liveResolvers() {
    return live.size();
  }

  /** Stops the executor; queries still queued are dropped, and their resolvers stop. */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "DiscoveryClientResolverBuilder{" + discoveryClient.description() + ", refresh every "
        + refreshInterval + "}";
  }
}
