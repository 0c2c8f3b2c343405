package dev.grpcspring.etcd;

import dev.grpcspring.Attributes;
import dev.grpcspring.internal.ExponentialBackoff;
import dev.grpcspring.resolver.Resolver;
import dev.grpcspring.resolver.ResolverBuildOptions;
import dev.grpcspring.resolver.ResolverBuilder;
import dev.grpcspring.resolver.ResolverClientConn;
import dev.grpcspring.resolver.Target;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code etcd} scheme: {@code etcd:///<service>} resolves to the endpoints stored in etcd
 * under the keys {@code <keyPrefix><service>/...}, in the JSON form grpc-go's etcd naming writes
 * ({@link EtcdEndpoint}), so Go and Java services share one registry. The authority is ignored
 * (the etcd cluster is this builder's {@link EtcdClient}).
 *
 * <ul>
 *   <li>Lists the prefix, then watches it from the next revision: a put adds or replaces a key's
 *       address, a delete (or lease expiry) removes it. Addresses are reported in key order, one
 *       per distinct {@code host:port}, each with the attributes {@link #KEY} and {@link
 *       #METADATA}. An empty prefix reports no addresses (calls fail UNAVAILABLE until one
 *       registers).
 *   <li>Only keys under {@code <service>/} count, with the slash: {@code svc/echo-2/...} is not
 *       part of {@code etcd:///svc/echo}.
 *   <li>A value that is not such JSON is skipped with a warning.
 *   <li>When etcd cannot be reached or the watch breaks, the error is reported as channel state
 *       (the channel keeps its last addresses) and the watch is resumed after a backoff (1 s
 *       growing to {@code maxBackoff}) from the revision after the last one seen, so changes made
 *       meanwhile arrive as events; {@code resolveNow()} brings that retry forward, at most once a
 *       second. If etcd compacted that revision away, the prefix is listed again.
 * </ul>
 *
 * Not registered by default, since it needs an etcd cluster: register it in a channel's {@link
 * dev.grpcspring.client.DialOptions.Builder#resolver} or in a registry.
 */
public final class EtcdResolverBuilder implements ResolverBuilder {
  public static final String SCHEME = "etcd";
  /** The etcd key an address came from. */
  public static final Attributes.Key<String> KEY = Attributes.Key.create("etcd-key");
  /**
   * The endpoint's {@code Metadata} as plain Java values (maps, lists, strings, numbers, booleans),
   * absent when it was null.
   */
  public static final Attributes.Key<Object> METADATA = Attributes.Key.create("etcd-metadata");

  private final EtcdClient client;
  private final String keyPrefix;
  private final ExponentialBackoff backoff;

  /** Keys exactly as grpc-go's naming writes them: {@code <service>/...}. */
  public EtcdResolverBuilder(EtcdClient client) {
    this(client, "", Duration.ofSeconds(30));
  }

  /**
   * @param keyPrefix put before the service name ({@code "/services/"} makes {@code etcd:///orders}
   *     watch {@code /services/orders/}); empty for grpc-go's layout
   * @param maxBackoff the longest wait between attempts to reach etcd
   */
  public EtcdResolverBuilder(EtcdClient client, String keyPrefix, Duration maxBackoff) {
    this.client = Objects.requireNonNull(client, "client");
    this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    this.backoff = ExponentialBackoff.newBuilder()
        .initialBackoff(Duration.ofSeconds(1).compareTo(maxBackoff) < 0 ? Duration.ofSeconds(1) : maxBackoff)
        .maxBackoff(maxBackoff)
        .build();
  }

  @Override
  public String scheme() {
    return SCHEME;
  }

  /** The etcd key prefix watched for {@code target}: {@code <keyPrefix><service>/}. */
  public String prefixOf(Target target) {
    String service = target.endpoint();
    while (service.endsWith("/")) {
      service = service.substring(0, service.length() - 1);
    }
    if (service.isEmpty()) {
      throw new IllegalArgumentException(
          "etcd target '" + target + "' names no service; write etcd:///<service>");
    }
    return keyPrefix + service + "/";
  }

  @Override
  public Resolver build(Target target, ResolverClientConn clientConn, ResolverBuildOptions options) {
    String prefix = prefixOf(target);
    if (options.scheduler() == null) {
      throw new IllegalArgumentException("The etcd resolver needs ResolverBuildOptions.scheduler()");
    }
    int defaultPort = options.defaultPort() > 0 ? options.defaultPort() : 443;
    EtcdResolver resolver =
        new EtcdResolver(client, prefix, clientConn, options.scheduler(), backoff, defaultPort);
    resolver.start();
    return resolver;
  }

  @Override
  public String toString() {
    return "EtcdResolverBuilder{" + client.endpoints() + ", keyPrefix='" + keyPrefix + "'}";
  }
}
