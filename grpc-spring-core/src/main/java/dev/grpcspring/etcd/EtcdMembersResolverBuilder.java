package dev.grpcspring.etcd;

import dev.grpcspring.Attributes;
import dev.grpcspring.resolver.Address;
import dev.grpcspring.resolver.HostPort;
import dev.grpcspring.resolver.Resolver;
import dev.grpcspring.resolver.ResolverBuildOptions;
import dev.grpcspring.resolver.ResolverBuilder;
import dev.grpcspring.resolver.ResolverClientConn;
import dev.grpcspring.resolver.ResolverState;
import dev.grpcspring.resolver.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed endpoints of an {@link EtcdClient}'s own channel, each reported with itself as the
 * address's authority: over TLS every member is then checked against (and sent as SNI) its own
 * host name, as etcd's Go client does, instead of all of them against the first endpoint's (which
 * is all a {@code static://} target can say). Used by one channel only, never registered globally.
 */
final class EtcdMembersResolverBuilder implements ResolverBuilder {
  /** A scheme no application target uses. */
  static final String SCHEME = "grpc-spring-etcd-members";

  private final List<String> endpoints;

  EtcdMembersResolverBuilder(List<String> endpoints) {
    this.endpoints = List.copyOf(endpoints);
  }

  /** The target this builder resolves. */
  String target() {
    return SCHEME + ":///" + String.join(",", endpoints);
  }

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public Resolver build(Target target, ResolverClientConn clientConn, ResolverBuildOptions options) {
    List<Address> addresses = new ArrayList<>();
    for (String endpoint : endpoints) {
      addresses.add(new Address(HostPort.parse(endpoint, -1), endpoint, Attributes.EMPTY));
    }
    clientConn.updateState(ResolverState.of(addresses));
    // The list never changes: nothing to refresh and nothing to release.
    return new Resolver() {
      @Override
      public void resolveNow() {}

      @Override
      public void close() {}
    };
  }

  /** The first endpoint, for calls' {@code :authority}; each connection uses its own. */
  @Override
  public String defaultAuthority(Target target) {
    return endpoints.get(0);
  }
}
