package dev.grpcspring.resolver;

import dev.grpcspring.internal.ExponentialBackoff;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@code dns} scheme: {@code dns:[//dns-server/]host[:port]}, default port 443.
 *
 * <ul>
 *   <li>Looks up A and AAAA records without blocking (Netty's resolver by default, which reads the
 *       hosts file first) and reports every address, IPv4 first.
 *   <li>Resolves again when asked ({@link Resolver#resolveNow()}), at most once per {@code
 *       minResolutionInterval} (30 s): requests in between are coalesced into one lookup at the end
 *       of the interval.
 *   <li>Failures are reported as UNAVAILABLE naming the host, and retried with exponential backoff
 *       (1 s, 1.6 s, ...) until a lookup succeeds.
 *   <li>An IP literal is reported as is, with no lookup.
 *   <li>A DNS server in the authority ({@code dns://8.8.8.8:53/example.com}) is queried instead of
 *       the system's.
 * </ul>
 *
 * Service config from TXT records (gRFC A2, {@code _grpc_config.<host>}) is looked up only when
 * enabled with {@link #withTxtServiceConfig()} (off by default, as in grpc-java) and the channel has
 * not {@linkplain dev.grpcspring.client.DialOptions.Builder#disableServiceConfig disabled service
 * config}: see {@link #withTxtServiceConfig(String, IntSupplier)} for how a choice is made.
 */
public final class DnsResolverBuilder implements ResolverBuilder {
  public static final String SCHEME = "dns";
  /** The port when the target names none. */
  public static final int DEFAULT_PORT = 443;
  /** The least time between two lookups triggered by {@code resolveNow()}. */
  public static final Duration MIN_RESOLUTION_INTERVAL = Duration.ofSeconds(30);

  private final DnsLookup.Factory lookups;
  private final LongSupplier nanoClock;
  private final Duration minInterval;
  private final ExponentialBackoff errorBackoff;
  private final boolean txtServiceConfig;
  private final @Nullable String hostname;
  private final @Nullable IntSupplier percentile;

  /** Netty's resolver on a shared daemon event-loop thread. */
  public DnsResolverBuilder() {
    // Deferred, so that registering the builder starts no event loop; the first lookup does.
    this(dnsServer -> NettyDnsLookup.sharedFactory().create(dnsServer));
  }

  /** Lookups from {@code lookups} (for example {@link NettyDnsLookup#factory} on your own loop). */
  public DnsResolverBuilder(DnsLookup.Factory lookups) {
    this(lookups, System::nanoTime, MIN_RESOLUTION_INTERVAL, ExponentialBackoff.DEFAULT);
  }

  /**
   * Everything injectable, for tests.
   *
   * @param nanoClock monotonic time for the rate limit
   * @param minInterval the least time between lookups asked for by {@code resolveNow()}
   * @param errorBackoff the waits before retrying a failed lookup
   */
  public DnsResolverBuilder(
      DnsLookup.Factory lookups, LongSupplier nanoClock, Duration minInterval, ExponentialBackoff errorBackoff) {
    this.lookups = Objects.requireNonNull(lookups, "lookups");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.minInterval = Objects.requireNonNull(minInterval, "minInterval");
    this.errorBackoff = Objects.requireNonNull(errorBackoff, "errorBackoff");
    this.txtServiceConfig = false;
    this.hostname = null;
    this.percentile = null;
  }

  private DnsResolverBuilder(
      DnsResolverBuilder b, @Nullable String hostname, IntSupplier percentile) {
    this.lookups = b.lookups;
    this.nanoClock = b.nanoClock;
    this.minInterval = b.minInterval;
    this.errorBackoff = b.errorBackoff;
    this.txtServiceConfig = true;
    this.hostname = hostname;
    this.percentile = Objects.requireNonNull(percentile, "percentile");
  }

  /**
   * This builder with TXT service config on, choosing as this host ({@link
   * InetAddress#getLocalHost()}'s name, read once here) and with a random percentile per resolver.
   */
  public DnsResolverBuilder withTxtServiceConfig() {
    String name;
    try {
      name = InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      name = null; // clientHostname choices then never match; the rest still work
    }
    return withTxtServiceConfig(name, () -> ThreadLocalRandom.current().nextInt(100));
  }

  /**
   * This builder with TXT service config on. Each lookup also asks for the TXT records of {@code
   * _grpc_config.<host>}; in the first one starting with {@code grpc_config=}, the first choice
   * whose {@code clientLanguage} includes {@code java} (any case), whose {@code percentage} is
   * above this resolver's percentile and whose {@code clientHostname} includes {@code hostname}
   * (each when present) gives the config. A missing record means no config; a malformed record or
   * a failed TXT lookup keeps the previous config (logged), and never fails the resolution.
   *
   * @param hostname this host's name, or null
   * @param percentile draws each resolver's percentile, 0 to 99
   */
  public DnsResolverBuilder withTxtServiceConfig(
      @Nullable String hostname, IntSupplier percentile) {
    return new DnsResolverBuilder(this, hostname, percentile);
  }

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public Resolver build(Target target, ResolverClientConn clientConn, ResolverBuildOptions options) {
    int defaultPort = options.defaultPort() > 0 ? options.defaultPort() : DEFAULT_PORT;
    InetSocketAddress hostPort = parseEndpoint(target, defaultPort);
    String host = hostPort.getHostString();
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
    if (literal != null) {
      try {
        InetAddress ip = InetAddress.getByAddress(host, literal);
        clientConn.updateState(
            ResolverState.of(List.of(Address.of(new InetSocketAddress(ip, hostPort.getPort())))));
      } catch (java.net.UnknownHostException e) {
        throw new IllegalArgumentException("Bad IP address in dns target '" + target + "'", e);
      }
      return new PassthroughResolverBuilder.NoopResolver();
    }
    if (options.scheduler() == null) {
      throw new IllegalArgumentException("The dns resolver needs ResolverBuildOptions.scheduler()");
    }
    InetSocketAddress dnsServer = null;
    if (!target.authority().isEmpty()) {
      InetSocketAddress server = HostPort.parse(target.authority(), 53);
      if (NetUtil.createByteArrayFromIpAddressString(server.getHostString()) == null) {
        throw new IllegalArgumentException(
            "The DNS server in dns target '" + target + "' must be an IP address, got '"
                + target.authority() + "'");
      }
      dnsServer = new InetSocketAddress(server.getHostString(), server.getPort());
    }
    IntSupplier percentile = this.percentile; // set exactly when txtServiceConfig is
    DnsResolver resolver =
        new DnsResolver(
            host,
            hostPort.getPort(),
            lookups.create(dnsServer),
            clientConn,
            options.scheduler(),
            nanoClock,
            minInterval.toNanos(),
            errorBackoff,
            txtServiceConfig && percentile != null && !options.disableServiceConfig()
                ? new DnsResolver.TxtConfig(percentile.getAsInt(), hostname) : null);
    resolver.start();
    return resolver;
  }

  /** The host and port of the endpoint; the authority is the DNS server. */
  private static InetSocketAddress parseEndpoint(Target target, int defaultPort) {
    if (target.endpoint().isEmpty()) {
      throw new IllegalArgumentException("dns target '" + target + "' names no host; write dns:///host[:port]");
    }
    try {
      return HostPort.parse(target.endpoint(), defaultPort);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Bad dns target '" + target + "': " + e.getMessage(), e);
    }
  }
}
