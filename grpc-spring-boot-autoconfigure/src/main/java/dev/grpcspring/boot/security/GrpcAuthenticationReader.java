package dev.grpcspring.boot.security;

import dev.grpcspring.Metadata;
import dev.grpcspring.ServerCall;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Finds the credentials a call carries (a header, the client's certificate) and returns them as an
 * {@link Authentication} for the {@code AuthenticationManager} to check. Readers are beans, asked
 * in order; the first that returns one wins. Add your own bean for another scheme.
 */
@FunctionalInterface
public interface GrpcAuthenticationReader {

  /**
   * The call's credentials, not yet checked, or {@code null} when the call carries none of the
   * kind this reader understands.
   *
   * @throws AuthenticationException when the call carries credentials of this kind that cannot be
   *     read (the call ends with UNAUTHENTICATED)
   */
  @Nullable Authentication readAuthentication(ServerCall<?, ?> call, Metadata headers);
}
