package dev.grpcspring.resolver;

/**
 * Watches a target and reports its addresses (and maybe a service config) to a
 * {@link ResolverClientConn}. Methods are called through the channel's callback serializer, one at
 * a time.
 */
public interface Resolver extends AutoCloseable {
  /** A hint to resolve again soon (the balancer saw a failure); may be ignored or rate-limited. */
  void resolveNow();

  /** Stops watching; no more updates may be sent. */
  @Override
  void close();
}
