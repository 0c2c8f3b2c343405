package dev.grpcspring.resolver;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link DnsLookup} on Netty's {@link DnsNameResolver}: non-blocking, consults the hosts file
 * first, then the system's name servers (or the target's), querying A and AAAA records.
 */
public final class NettyDnsLookup implements DnsLookup {
  private final DnsNameResolver resolver;

  private NettyDnsLookup(DnsNameResolver resolver) {
    this.resolver = resolver;
  }

  /**
   * A factory whose lookups run on {@code group}. Lookups with the system's name servers share one
   * Netty resolver (and its cache); those against a named server get their own.
   */
  public static DnsLookup.Factory factory(EventLoopGroup group) {
    return new DnsLookup.Factory() {
      private volatile NettyDnsLookup shared;

      @Override
      public DnsLookup create(InetSocketAddress dnsServer) {
        if (dnsServer != null) {
          return new NettyDnsLookup(newResolver(group, dnsServer));
        }
        NettyDnsLookup s = shared;
        if (s == null) {
          synchronized (this) {
            s = shared;
            if (s == null) {
              shared = s = new NettyDnsLookup(newResolver(group, null));
            }
          }
        }
        return new Unclosable(s);
      }
    };
  }

  /** The factory the default {@code dns} resolver uses: one daemon event-loop thread for DNS. */
  public static DnsLookup.Factory sharedFactory() {
    return SharedHolder.FACTORY;
  }

  @Override
  public CompletionStage<List<InetAddress>> resolveAll(String host) {
    CompletableFuture<List<InetAddress>> result = new CompletableFuture<>();
    resolver.resolveAll(host).addListener(f -> {
      if (f.isSuccess()) {
        @SuppressWarnings("unchecked")
        List<InetAddress> addresses = (List<InetAddress>) f.getNow();
        result.complete(addresses);
      } else {
        result.completeExceptionally(f.cause());
      }
    });
    return result;
  }

  @Override
  public void close() {
    resolver.close();
  }

  private static DnsNameResolver newResolver(EventLoopGroup group, InetSocketAddress dnsServer) {
    DnsNameResolverBuilder builder =
        new DnsNameResolverBuilder(group.next())
            .datagramChannelType(NioDatagramChannel.class)
            .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED);
    if (dnsServer != null) {
      builder.nameServerProvider(new SingletonDnsServerAddressStreamProvider(dnsServer));
    }
    return builder.build();
  }

  /** The shared lookup must outlive any one resolver. */
  private record Unclosable(NettyDnsLookup delegate) implements DnsLookup {
    @Override
    public CompletionStage<List<InetAddress>> resolveAll(String host) {
      return delegate.resolveAll(host);
    }

    @Override
    public void close() {}
  }

  private static final class SharedHolder {
    // Daemon threads: the process-wide DNS loop never keeps a JVM alive.
    static final DnsLookup.Factory FACTORY =
        factory(
            new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("grpc-spring-dns", true), NioIoHandler.newFactory()));
  }
}
