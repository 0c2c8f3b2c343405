package dev.grpcspring.boot.security;

import dev.grpcspring.Status;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * The status a security failure ends a call with, by the rule of Spring Security's {@code
 * ExceptionTranslationFilter}: failed authentication, or access denied to a caller without
 * checked credentials, is UNAUTHENTICATED; access denied to an authenticated caller is
 * PERMISSION_DENIED. Descriptions are generic: the reason stays in the server's debug log.
 */
public final class GrpcSecurityStatuses {

  private GrpcSecurityStatuses() {}

  /** Whether {@code t} is a failure this class maps. */
  public static boolean isSecurityException(Throwable t) {
    return t instanceof AuthenticationException || t instanceof AccessDeniedException;
  }

  /**
   * The status for {@code failure} (an {@link AuthenticationException} or
   * {@link AccessDeniedException}) of a call made by {@code caller} (null or anonymous for a call
   * without credentials).
   */
  public static Status statusFor(RuntimeException failure,
      @Nullable Authentication caller) {
    if (failure instanceof AuthenticationServiceException) {
      // The token could not be checked at all (an introspection endpoint or key set is down):
      // the caller's credentials may be fine, so asking for new ones would not help.
      return Status.UNAVAILABLE.withDescription("Authentication is unavailable");
    }
    if (failure instanceof AuthenticationException) {
      return Status.UNAUTHENTICATED.withDescription("Authentication failed");
    }
    if (!GrpcAccess.isAuthenticated(caller)) {
      return Status.UNAUTHENTICATED.withDescription("Authentication required");
    }
    return Status.PERMISSION_DENIED.withDescription("Access denied");
  }
}
