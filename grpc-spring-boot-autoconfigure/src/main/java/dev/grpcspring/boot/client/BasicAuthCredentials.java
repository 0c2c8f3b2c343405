package dev.grpcspring.boot.client;

import dev.grpcspring.Metadata;
import dev.grpcspring.credentials.PerRpcCredentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sends HTTP Basic credentials ({@code authorization: Basic base64(user:password)}, RFC 7617) on
 * every call; only over TLS unless made for plaintext.
 */
public final class BasicAuthCredentials implements PerRpcCredentials {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String username;
  private final String header;
  private final boolean requireTls;

  public BasicAuthCredentials(String username, String password, boolean requireTls) {
    this.username = Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.indexOf(':') >= 0) {
      throw new IllegalArgumentException("A Basic user name cannot contain ':' (RFC 7617)");
    }
    this.header = "Basic " + Base64.getEncoder().encodeToString(
        (username + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.requireTls = requireTls;
  }

  @Override
  public CompletionStage<Metadata> getRequestMetadata(RequestInfo info) {
    CompletableFuture<Metadata> refused = TransportRule.check(this, info);
    if (refused != null) {
      return refused;
    }
    Metadata md = new Metadata();
    md.put(AUTHORIZATION, header);
    return CompletableFuture.completedFuture(md);
  }

  @Override
  public boolean requireTransportSecurity() {
    return requireTls;
  }

  @Override
  public String toString() {
    return "BasicAuthCredentials[user " + username + (requireTls ? "" : ", plaintext allowed")
        + "]";
  }
}
