package dev.grpcspring.boot.client;

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
}
