package dev.grpcspring.resolver;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * {@link DnsLookup} on Netty's {@link DnsNameResolver}: non-blocking, consults the hosts file
 * first, then the system's name servers (or the target's), querying A and AAAA records (and TXT
 * records for service config).
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
      private volatile @Nullable NettyDnsLookup shared;

      @Override
      public DnsLookup create(@Nullable InetSocketAddress dnsServer) {
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
  public CompletionStage<List<String>> resolveTxt(String name) {
    CompletableFuture<List<String>> result = new CompletableFuture<>();
    resolver.resolveAll(new DefaultDnsQuestion(name, DnsRecordType.TXT)).addListener(f -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(f.cause());
        return;
      }
      @SuppressWarnings("unchecked")
      List<DnsRecord> records = (List<DnsRecord>) f.getNow();
      List<String> texts = new ArrayList<>();
      try {
        for (DnsRecord r : records) {
          if (r instanceof DnsRawRecord raw && r.type() == DnsRecordType.TXT) {
            texts.add(characterStrings(raw.content()));
          }
        }
        result.complete(texts);
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      } finally {
        for (DnsRecord r : records) {
          ReferenceCountUtil.release(r);
        }
      }
    });
    return result;
  }

  /** A TXT record's data is a run of length-prefixed character-strings; gRFC A2 joins them. */
  private static String characterStrings(ByteBuf data) {
    StringBuilder text = new StringBuilder();
    int i = data.readerIndex();
    int end = data.writerIndex();
    while (i < end) {
      int length = data.getUnsignedByte(i++);
      if (i + length > end) {
        throw new IllegalArgumentException("Truncated TXT record: a string of " + length
            + " bytes with " + (end - i) + " left");
      }
      text.append(data.toString(i, length, StandardCharsets.UTF_8));
      i += length;
    }
    return text.toString();
  }

  @Override
  public void close() {
    resolver.close();
  }

  private static DnsNameResolver newResolver(
      EventLoopGroup group, @Nullable InetSocketAddress dnsServer) {
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
    public CompletionStage<List<String>> resolveTxt(String name) {
      return delegate.resolveTxt(name);
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
