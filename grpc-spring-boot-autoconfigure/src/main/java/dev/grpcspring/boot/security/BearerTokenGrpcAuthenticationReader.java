package dev.grpcspring.boot.security;

import dev.grpcspring.Metadata;
import dev.grpcspring.ServerCall;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * A bearer token ({@code authorization: Bearer <token>}, RFC 6750) as a
 * {@link BearerTokenAuthenticationToken}, which Spring Security's {@code JwtAuthenticationProvider}
 * (with the application's {@code JwtDecoder}) or {@code OpaqueTokenAuthenticationProvider} (with
 * its {@code OpaqueTokenIntrospector}) checks.
 */
public class BearerTokenGrpcAuthenticationReader implements GrpcAuthenticationReader {

  @Override
  public @Nullable Authentication readAuthentication(ServerCall<?, ?> call, Metadata headers) {
    String token = AuthorizationHeader.value(headers, "Bearer");
    if (token == null) {
      return null;
    }
    if (token.isEmpty()) {
      throw new BadCredentialsException("The Bearer authorization header carries no token");
    }
    return new BearerTokenAuthenticationToken(token);
  }
}
