package dev.grpcspring.boot.client;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * The source of bearer tokens for a channel's calls, named by
 * {@code grpc.client.channel.<name>.auth.token-supplier}. Asked once per call on a thread of the
 * channel factory's token pool, never on an I/O thread, so it may block to fetch a token; it
 * should cache tokens until they are about to expire.
 */
@FunctionalInterface
public interface BearerTokenSupplier extends Supplier<String> {

  /** The token for the next call, without the {@code Bearer } prefix. */
  @Override
  String get();

  /**
   * A call that started at {@code callStarted} was refused with UNAUTHENTICATED: the token may
   * have been revoked, or the server's keys rotated. A supplier that caches should drop its cached
   * token (perhaps only one obtained before {@code callStarted}, and not more often than its token
   * endpoint can bear, since every call in flight with that token reports it), so that the next
   * call fetches a new one. Called on a gRPC callback thread: it must not block. Does nothing by
   * default.
   */
  default void rejected(Instant callStarted) {}
}
