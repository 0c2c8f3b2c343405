package dev.grpcspring.boot.client;

import dev.grpcspring.Metadata;
import dev.grpcspring.SecurityLevel;
import dev.grpcspring.Status;
import dev.grpcspring.credentials.PerRpcCredentials;
import dev.grpcspring.interceptor.ClientInterceptor;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Sends {@code authorization: Bearer <token>} on every call, with the token from a supplier. Like
 * every credential that may travel only over TLS, it fails a call on a connection below
 * {@link SecurityLevel#PRIVACY_AND_INTEGRITY} unless made for plaintext.
 */
public final class BearerTokenCredentials implements PerRpcCredentials {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Supplier<String> tokens;
  private final @Nullable Executor executor;
  private final boolean requireTls;
  private final String description;

  /**
   * @param tokens the token for each call; may block (a token endpoint) when {@code executor} is set
   * @param executor where {@code tokens} is asked, or {@code null} to ask on the calling thread
   *     (for a supplier that never blocks)
   * @param requireTls whether the token may only go over TLS
   * @param description what the token is, for messages (never the token itself)
   */
  public BearerTokenCredentials(Supplier<String> tokens, @Nullable Executor executor,
      boolean requireTls,
      String description) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.executor = executor;
    this.requireTls = requireTls;
    this.description = description;
  }

  /** A fixed token. */
  public static BearerTokenCredentials of(String token, boolean requireTls) {
    Objects.requireNonNull(token, "token");
    return new BearerTokenCredentials(() -> token, null, requireTls, "a static bearer token");
  }

  @Override
  public CompletionStage<Metadata> getRequestMetadata(RequestInfo info) {
    CompletableFuture<Metadata> refused = TransportRule.check(this, info);
    if (refused != null) {
      return refused;
    }
    if (executor == null) {
      return CompletableFuture.completedFuture(metadata(tokens.get()));
    }
    return CompletableFuture.supplyAsync(() -> metadata(tokens.get()), executor);
  }

  private Metadata metadata(String token) {
    if (token == null || token.isBlank()) {
      throw Status.UNAUTHENTICATED.withDescription(description + " supplied no token")
          .asException();
    }
    Metadata md = new Metadata();
    md.put(AUTHORIZATION, "Bearer " + token);
    return md;
  }

  /**
   * An interceptor for the channel these credentials serve that tells their
   * {@link BearerTokenSupplier} about calls refused with UNAUTHENTICATED (see
   * {@link BearerTokenSupplier#rejected}), or {@code null} when the tokens come from a plain
   * {@link Supplier}, which keeps no cache to drop.
   */
  public @Nullable ClientInterceptor rejectedTokenInterceptor() {
    return tokens instanceof BearerTokenSupplier supplier
        ? new RejectedTokenInterceptor(supplier, Clock.systemUTC()) : null;
  }

  @Override
  public boolean requireTransportSecurity() {
    return requireTls;
  }

  @Override
  public String toString() {
    return "BearerTokenCredentials[" + description + (requireTls ? "" : ", plaintext allowed") + "]";
  }
}
