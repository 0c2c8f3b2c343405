package dev.grpcspring.boot.security;

import dev.grpcspring.Metadata;
import dev.grpcspring.ServerCall;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * HTTP Basic ({@code authorization: Basic base64(user:password)}, RFC 7617) as an unauthenticated
 * {@link UsernamePasswordAuthenticationToken}, for the application's {@code AuthenticationManager}
 * or {@code UserDetailsService} to check.
 */
public class BasicGrpcAuthenticationReader implements GrpcAuthenticationReader {

  @Override
  public @Nullable Authentication readAuthentication(ServerCall<?, ?> call, Metadata headers) {
    String encoded = AuthorizationHeader.value(headers, "Basic");
    if (encoded == null) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadCredentialsException("Basic credentials are not valid Base64", e);
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new BadCredentialsException("Basic credentials have no ':' between user and password");
    }
    return UsernamePasswordAuthenticationToken.unauthenticated(
        decoded.substring(0, colon), decoded.substring(colon + 1));
  }
}
