package dev.grpcspring.resolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Asynchronous A/AAAA (and, for service config, TXT) lookups for the {@code dns} resolver. The default, {@link NettyDnsLookup},
 * uses Netty's non-blocking DNS resolver; tests and special setups supply their own.
 */
public interface DnsLookup extends AutoCloseable {
  /**
   * Looks {@code host} up without blocking the caller.
   *
   * @return every address found (IPv4 first, then IPv6); completes exceptionally on failure (an
   *     {@link java.net.UnknownHostException} when the name does not exist)
   */
  CompletionStage<List<InetAddress>> resolveAll(String host);

  /**
   * Looks up the TXT records of {@code name} without blocking the caller, for service config
   * (gRFC A2). Each element is one record, its character-strings joined. Lookups that cannot
   * query TXT records fail with {@link UnsupportedOperationException}.
   *
   * @return the records, empty when the name has none; completes exceptionally on failure (an
   *     {@link java.net.UnknownHostException} when the name does not exist)
   */
  default CompletionStage<List<String>> resolveTxt(String name) {
    return java.util.concurrent.CompletableFuture.failedFuture(new UnsupportedOperationException(
        getClass().getName() + " cannot look up TXT records"));
  }

  /** Releases what this lookup holds; pending lookups may fail. */
  @Override
  void close();

  /** Makes lookups, optionally against one DNS server (the target's authority). */
  @FunctionalInterface
  interface Factory {
    /**
     * A lookup for one resolver.
     *
     * @param dnsServer the server named in the target ({@code dns://8.8.8.8/host}), or null for the
     *     system's
     */
    DnsLookup create(@Nullable InetSocketAddress dnsServer);
  }
}
