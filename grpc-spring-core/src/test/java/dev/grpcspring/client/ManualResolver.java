package dev.grpcspring.client;

import dev.grpcspring.resolver.Address;
import dev.grpcspring.resolver.Resolver;
import dev.grpcspring.resolver.ResolverBuildOptions;
import dev.grpcspring.resolver.ResolverBuilder;
import dev.grpcspring.resolver.ResolverClientConn;
import dev.grpcspring.resolver.ResolverState;
import dev.grpcspring.resolver.Target;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A resolver the test drives by hand, registered on one channel through its dial options. */
final class ManualResolver implements ResolverBuilder {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String scheme = "manual" + COUNTER.incrementAndGet();
  private volatile ResolverClientConn clientConn;
  private volatile ResolverState state;
  final AtomicInteger resolveNowCalls = new AtomicInteger();
  final AtomicInteger builds = new AtomicInteger();

  ManualResolver(int... ports) {
    this.state = ResolverState.of(addresses(ports));
  }

  static List<Address> addresses(int... ports) {
    List<Address> out = new ArrayList<>();
    for (int p : ports) {
      out.add(Address.of(new InetSocketAddress("127.0.0.1", p)));
    }
    return out;
  }

  String target() {
    return scheme + ":///test";
  }

  /** Reports new addresses (and keeps them for a rebuilt resolver). */
  void update(ResolverState next) {
    state = next;
    ResolverClientConn cc = clientConn;
    if (cc != null) {
      cc.updateState(next);
    }
  }

  @Override
  public String scheme() {
    return scheme;
  }

  @Override
  public Resolver build(Target target, ResolverClientConn cc, ResolverBuildOptions options) {
    builds.incrementAndGet();
    clientConn = cc;
    cc.updateState(state);
    return new Resolver() {
      @Override
      public void resolveNow() {
        resolveNowCalls.incrementAndGet();
      }

      @Override
      public void close() {
        clientConn = null;
      }
    };
  }

  @Override
  public String defaultAuthority(Target target) {
    return "test.local";
  }
}
