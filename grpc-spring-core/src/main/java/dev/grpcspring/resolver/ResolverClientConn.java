package dev.grpcspring.resolver;

import dev.grpcspring.Status;

/**
 * The channel, as a resolver sees it (grpc-go's {@code resolver.ClientConn}). Safe to call from any
 * thread; the channel serializes the work.
 */
public interface ResolverClientConn {
  /** Reports new addresses and config. */
  void updateState(ResolverState state);

  /** Reports that resolution failed; the channel keeps its old addresses if it had any. */
  void reportError(Status error);
}
