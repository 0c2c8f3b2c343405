package dev.grpcspring.boot.autoconfigure.client;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.boot.autoconfigure.ssl.GrpcSslBundles;
import dev.grpcspring.boot.client.BearerTokenCredentials;
import dev.grpcspring.boot.client.DefaultDeadlineInterceptor;
import dev.grpcspring.boot.client.GrpcChannelCustomizer;
import dev.grpcspring.boot.client.GrpcChannelFactory;
import dev.grpcspring.boot.client.InFlightCalls;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.codec.CompressorRegistry;
import dev.grpcspring.credentials.PerRpcCredentials;
import dev.grpcspring.credentials.TransportCredentials;
import dev.grpcspring.interceptor.ClientInterceptor;
import dev.grpcspring.interceptor.ClientInterceptors;
import dev.grpcspring.resolver.DnsResolverBuilder;
import dev.grpcspring.resolver.ResolverBuilder;
import dev.grpcspring.resolver.ResolverRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * The channel factory made from {@code grpc.client.channel.*}: each name is dialled once, on first
 * use, with its properties layered over the {@code default} entry's; closing the factory closes
 * every channel, letting calls in flight finish within the channel's grace period.
 */
public class DefaultGrpcChannelFactory implements GrpcChannelFactory, DisposableBean {

  private static final Log log = LogFactory.getLog(DefaultGrpcChannelFactory.class);

  /**
   * Schemes that resolve only when something else is set up, and what that is. Without this, the
   * target would silently become a passthrough one that can never connect.
   */
  private static final Map<String, String> OPT_IN_SCHEMES = Map.of(
      "discovery", "which needs Spring Cloud's DiscoveryClient: add"
          + " org.springframework.cloud:spring-cloud-commons and a discovery client (such as"
          + " spring-cloud-starter-netflix-eureka-client, spring-cloud-starter-consul-discovery or"
          + " spring-cloud-starter-kubernetes-client, or"
          + " spring.cloud.discovery.client.simple.instances.<serviceId>), so that a DiscoveryClient"
          + " bean exists (and spring.cloud.discovery.enabled is not false)",
      "etcd", "which needs an etcd cluster: set grpc.etcd.endpoints");

  private final ChannelPropertiesResolver resolver;
  private final BeanFactory beanFactory;
  private final Supplier<List<ClientInterceptor>> globalInterceptors;
  private final List<GrpcChannelCustomizer> customizers;
  private final GrpcSslBundles sslBundles;
  private final Map<String, Entry> channels = new ConcurrentHashMap<>();
  private final ChannelCredentialsFactory credentials;
  /** The dns resolver with TXT service config, made once, for channels that ask for it. */
  private volatile @Nullable DnsResolverBuilder txtDns;
  private volatile boolean closed;

  private record Entry(String name, ClientConn connection, InFlightCalls calls,
      List<ClientInterceptor> interceptors, Duration gracePeriod) {}

  /**
   * @param globalInterceptors the global client interceptors, first one first; asked once per
   *     channel, when it is dialled
   */
  public DefaultGrpcChannelFactory(ChannelPropertiesResolver resolver, BeanFactory beanFactory,
      Supplier<List<ClientInterceptor>> globalInterceptors,
      List<GrpcChannelCustomizer> customizers) {
    this(resolver, beanFactory, globalInterceptors, customizers, new GrpcSslBundles(null));
  }

  /**
   * @param globalInterceptors the global client interceptors, first one first; asked once per
   *     channel, when it is dialled
   * @param sslBundles where {@code grpc.client.channel.<name>.ssl.bundle} is looked up
   */
  public DefaultGrpcChannelFactory(ChannelPropertiesResolver resolver, BeanFactory beanFactory,
      Supplier<List<ClientInterceptor>> globalInterceptors,
      List<GrpcChannelCustomizer> customizers, GrpcSslBundles sslBundles) {
    this.resolver = resolver;
    this.beanFactory = beanFactory;
    this.globalInterceptors = globalInterceptors;
    this.customizers = List.copyOf(customizers);
    this.sslBundles = sslBundles;
    this.credentials = new ChannelCredentialsFactory(beanFactory);
  }

  @Override
  public Channel getConnection(String name) {
    return entry(name).connection();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The channel is dialled here, so that a bad target or setting fails startup, unless its
   * target still holds a placeholder that cannot be resolved yet, such as
   * {@code localhost:${local.grpc.server.port}} before the server has bound its port: then it is
   * dialled on its first call.
   */
  @Override
  public Channel getChannel(String name, List<ClientInterceptor> extra) {
    ChannelProperties p = resolver.resolve(name);
    requireTarget(name, p);
    List<ClientInterceptor> extraCopy = List.copyOf(extra);
    Supplier<Channel> channel = () -> {
      Entry entry = entry(name);
      List<ClientInterceptor> chain = new ArrayList<>(entry.interceptors());
      chain.addAll(extraCopy);
      return ClientInterceptors.intercept(entry.connection(), chain);
    };
    String target = p.getTarget();
    return target != null && target.contains("${") ? new LazyChannel(channel) : channel.get();
  }

  /**
   * TLS from {@code ssl.*}: with the bundle's trust (and key, for mutual TLS) when one is named,
   * with the JDK's trust when only {@code enabled} is true; plaintext otherwise.
   */
  private TransportCredentials transportCredentials(String name, ChannelProperties.Ssl ssl) {
    String bundle = ssl.getBundle();
    boolean hasBundle = bundle != null && !bundle.isBlank();
    Boolean enabledProperty = ssl.getEnabled();
    boolean enabled = enabledProperty != null ? enabledProperty : hasBundle;
    if (!enabled) {
      return TransportCredentials.insecure();
    }
    return sslBundles.channelCredentials(hasBundle ? bundle : null,
        "grpc.client.channel." + name + ".ssl.bundle", ssl.getProvider());
  }

  private static void requireTarget(String name, ChannelProperties p) {
    if (p.getTarget() == null || p.getTarget().isBlank()) {
      throw new IllegalStateException("gRPC channel '" + name + "' has no target: set"
          + " grpc.client.channel." + name + ".target (for example dns:///host:9090), or"
          + " grpc.client.channel.default.target for every channel");
    }
  }

  /**
   * The dial options for channel {@code name} from its properties (before the customizers run).
   *
   * @throws InvalidConfigurationPropertyValueException if a size property is out of range, or a
   *     service-config property breaks a service-config rule
   * @throws IllegalArgumentException if the dial options reject a value
   */
  protected DialOptions.Builder dialOptions(String name, ChannelProperties p) {
    TransportCredentials transport = transportCredentials(name, p.getSsl());
    DialOptions.Builder options = DialOptions.newBuilder().transportCredentials(transport);
    PerRpcCredentials callCredentials = credentials.create(name, p.getAuth(), transport.isSecure());
    if (callCredentials != null) {
      // Per-RPC credentials, not an interceptor: the core refuses TLS-only ones on plaintext.
      options.perRpcCredentials(callCredentials);
      ClientInterceptor rejected = callCredentials instanceof BearerTokenCredentials bearer
          ? bearer.rejectedTokenInterceptor() : null;
      if (rejected != null) {
        options.interceptors(rejected);
      }
    }
    if (p.getDeadline() != null) {
      options.interceptors(new DefaultDeadlineInterceptor(p.getDeadline()));
    }
    if (p.getAuthority() != null) {
      options.authority(p.getAuthority());
    }
    if (p.getUserAgent() != null) {
      options.userAgent(p.getUserAgent());
    }
    if (p.getDefaultScheme() != null) {
      options.defaultScheme(p.getDefaultScheme());
    }
    if (p.getIdleTimeout() != null) {
      options.idleTimeout(p.getIdleTimeout());
    }
    if (p.getServiceConfig().getHealthCheck() != null
        && !"round_robin".equals(p.getLoadBalancingPolicy())) {
      // pick_first never health-checks (gRFC A17): the setting would be accepted and do nothing.
      throw new InvalidConfigurationPropertyValueException(
          "grpc.client.channel." + name + ".service-config.health-check.service-name",
          p.getServiceConfig().getHealthCheck().getServiceName(),
          "Client-side health checking works only with the round_robin policy; set grpc.client.channel."
              + name + ".load-balancing-policy=round_robin (now "
              + (p.getLoadBalancingPolicy() == null ? "unset, so pick_first" : p.getLoadBalancingPolicy())
              + "), or remove the health-check.");
    }
    var serviceConfig =
        p.getServiceConfig().toServiceConfig("grpc.client.channel." + name, p.getLoadBalancingPolicy());
    if (serviceConfig != null) {
      options.defaultServiceConfig(serviceConfig);
    }
    ChannelProperties.Backoff backoff = p.getBackoff();
    options.connectBackoff(backoff.getBaseDelay(), backoff.getMultiplier(), backoff.getJitter(),
        backoff.getMaxDelay());
    options.minConnectTimeout(backoff.getMinConnectTimeout());
    if (p.getFlowControlWindow() != null) {
      int window = bytes(p.getFlowControlWindow(), name, "flow-control-window");
      options.initialWindowSize(window);
      options.initialConnWindowSize(window);
    }
    options.maxHeaderListSize(bytes(p.getInbound().getMetadata().getMaxSize(), name,
        "inbound.metadata.max-size"));
    p.getKeepalive().applyTo(options, name);
    p.getProxy().applyTo(options, name);
    options.defaultCallOptions(callOptions(name, p));
    if (!p.isRetryEnabled()) {
      options.disableRetry();
    }
    if (!p.isResolverServiceConfigEnabled()) {
      options.disableServiceConfig();
    }
    if (p.getDns().isServiceConfigLookup()) {
      if (!p.isResolverServiceConfigEnabled()) {
        // The resolver would look the config up and the channel would drop it.
        throw new InvalidConfigurationPropertyValueException(
            "grpc.client.channel." + name + ".dns.service-config-lookup", true,
            "Channel '" + name + "' ignores service configs from its resolver"
                + " (resolver-service-config-enabled=false), so TXT records would never apply;"
                + " turn one of the two off (a channel inherits both from the default channel).");
      }
      options.resolver(txtDns());
    }
    return options;
  }

  private DnsResolverBuilder txtDns() {
    DnsResolverBuilder dns = txtDns;
    if (dns == null) {
      // Reads this host's name once (for clientHostname choices); lookups share the default loop.
      txtDns = dns = new DnsResolverBuilder().withTxtServiceConfig();
    }
    return dns;
  }

  private static CallOptions callOptions(String name, ChannelProperties p) {
    CallOptions call = CallOptions.DEFAULT;
    if (Boolean.TRUE.equals(p.getWaitForReady())) {
      call = call.withWaitForReady();
    } else if (Boolean.FALSE.equals(p.getWaitForReady())) {
      call = call.withoutWaitForReady();
    }
    if (p.getCompression() != null) {
      if (CompressorRegistry.getDefaultInstance().lookup(p.getCompression()) == null) {
        throw new InvalidConfigurationPropertyValueException(
            "grpc.client.channel." + name + ".compression", p.getCompression(),
            "Use one of " + CompressorRegistry.getDefaultInstance().acceptEncoding() + ".");
      }
      call = call.withCompression(p.getCompression());
    }
    if (p.getInbound().getMessage().getMaxSize() != null) {
      call = call.withMaxInboundMessageSize(
          bytes(p.getInbound().getMessage().getMaxSize(), name, "inbound.message.max-size"));
    }
    if (p.getOutbound().getMessage().getMaxSize() != null) {
      call = call.withMaxOutboundMessageSize(
          bytes(p.getOutbound().getMessage().getMaxSize(), name, "outbound.message.max-size"));
    }
    return call;
  }

  private static int bytes(DataSize size, String channel, String key) {
    long b = size.toBytes();
    if (b <= 0 || b > Integer.MAX_VALUE) {
      throw new InvalidConfigurationPropertyValueException(
          "grpc.client.channel." + channel + "." + key, size, "Set a size between 1B and 2GB.");
    }
    return (int) b;
  }

  private Entry entry(String name) {
    if (closed) {
      throw new IllegalStateException("The gRPC channel factory is closed; channel '" + name
          + "' is no longer available");
    }
    return channels.computeIfAbsent(name, this::dial);
  }

  private Entry dial(String name) {
    ChannelProperties p = resolver.resolve(name);
    requireTarget(name, p);
    DialOptions.Builder options;
    try {
      options = dialOptions(name, p);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Invalid settings under grpc.client.channel." + name
          + " (or grpc.client.channel.default): " + e.getMessage(), e);
    }
    // The tracker sees every call on the connection, through whatever interceptors made it.
    InFlightCalls calls = new InFlightCalls();
    options.interceptors(calls);
    for (GrpcChannelCustomizer customizer : customizers) {
      customizer.customize(name, options);
    }
    List<ClientInterceptor> interceptors = new ArrayList<>(globalInterceptors.get());
    for (String bean : p.getInterceptors()) {
      try {
        interceptors.add(beanFactory.getBean(bean, ClientInterceptor.class));
      } catch (NoSuchBeanDefinitionException e) {
        throw new IllegalStateException("grpc.client.channel." + name + ".interceptors names bean '"
            + bean + "', but there is no ClientInterceptor bean of that name", e);
      }
    }
    DialOptions built = options.build();
    // requireTarget above has checked it.
    requireResolver(name, Objects.requireNonNull(p.getTarget(), "target"), built);
    ClientConn connection;
    try {
      connection = ClientConn.dial(p.getTarget(), built);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Cannot dial gRPC channel '" + name + "' to '"
          + p.getTarget() + "': " + e.getMessage() + ". Check grpc.client.channel." + name
          + ".target and its service-config", e);
    }
    log.debug("Dialled gRPC channel '" + name + "' to " + p.getTarget());
    return new Entry(name, connection, calls, List.copyOf(interceptors),
        p.getShutdown().getGracePeriod());
  }

  private static void requireResolver(String name, String target, DialOptions options) {
    int colon = target.indexOf(':');
    if (colon <= 0) {
      return;
    }
    String scheme = target.substring(0, colon).toLowerCase(Locale.ROOT);
    String needs = OPT_IN_SCHEMES.get(scheme);
    if (needs == null || ResolverRegistry.getDefaultRegistry().get(scheme) != null) {
      return;
    }
    for (ResolverBuilder resolver : options.resolvers()) {
      if (scheme.equalsIgnoreCase(resolver.scheme())) {
        return;
      }
    }
    throw new IllegalStateException("gRPC channel '" + name + "' targets '" + target + "' ("
        + "grpc.client.channel." + name + ".target), " + needs);
  }

  /** The names of the channels dialled so far. */
  public List<String> getChannelNames() {
    return List.copyOf(channels.keySet());
  }

  /** The connections dialled so far, by channel name (for health and the actuator endpoint). */
  public Map<String, ClientConn> getConnections() {
    Map<String, ClientConn> out = new java.util.TreeMap<>();
    channels.forEach((name, e) -> out.put(name, e.connection()));
    return out;
  }

  /**
   * Closes every channel: no new calls; calls in flight get the channel's grace period, then are
   * cancelled. The channels drain in parallel, so this takes at most the longest grace period.
   */
  @Override
  public void destroy() throws InterruptedException {
    closed = true;
    List<Entry> entries = new ArrayList<>(channels.values());
    for (Entry e : entries) {
      e.connection().close();
    }
    long start = System.nanoTime();
    for (Entry e : entries) {
      Duration left = e.gracePeriod().minusNanos(System.nanoTime() - start);
      if (!e.calls().awaitDrained(left.isNegative() ? Duration.ZERO : left)) {
        log.warn("gRPC channel '" + e.name() + "' still had " + e.calls().size()
            + " calls in flight after its grace period of " + e.gracePeriod()
            + "; cancelling them");
        e.calls().cancelAll("The application is shutting down");
      }
    }
    channels.clear();
    credentials.close();
  }
}
