package dev.grpcspring.boot.client;

import dev.grpcspring.Metadata;
import dev.grpcspring.SecurityLevel;
import dev.grpcspring.Status;
import dev.grpcspring.credentials.PerRpcCredentials;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The rule the core applies at dial time, checked again per call: credentials that require
 * transport security go only over a connection with privacy and integrity (TLS). The core refuses
 * such credentials on a plaintext channel; this also covers a call whose connection reports less.
 */
final class TransportRule {
  private TransportRule() {}

  /** A failed stage when {@code credentials} may not go over the call's connection, else null. */
  static @Nullable CompletableFuture<Metadata> check(PerRpcCredentials credentials,
      PerRpcCredentials.RequestInfo info) {
    if (!credentials.requireTransportSecurity()
        || info.securityLevel().isAtLeast(SecurityLevel.PRIVACY_AND_INTEGRITY)) {
      return null;
    }
    return CompletableFuture.failedFuture(Status.UNAUTHENTICATED.withDescription(credentials
        + " need a TLS connection, but the connection to " + info.authority() + " is "
        + info.securityLevel() + "; use TLS, or allow plaintext for this channel explicitly")
        .asException());
  }
}
