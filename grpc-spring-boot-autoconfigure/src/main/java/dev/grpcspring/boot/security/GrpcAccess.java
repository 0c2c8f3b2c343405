package dev.grpcspring.boot.security;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Who may call a method: anyone, any authenticated caller, nobody, or callers holding one of some
 * authorities. Roles are authorities with the {@code ROLE_} prefix, as in Spring Security.
 */
public final class GrpcAccess {

  private enum Kind { PERMIT_ALL, AUTHENTICATED, DENY_ALL, ANY_AUTHORITY }

  private static final GrpcAccess PERMIT_ALL = new GrpcAccess(Kind.PERMIT_ALL, Set.of());
  private static final GrpcAccess AUTHENTICATED = new GrpcAccess(Kind.AUTHENTICATED, Set.of());
  private static final GrpcAccess DENY_ALL = new GrpcAccess(Kind.DENY_ALL, Set.of());

  private final Kind kind;
  private final Set<String> authorities;

  private GrpcAccess(Kind kind, Set<String> authorities) {
    this.kind = kind;
    this.authorities = authorities;
  }

  /** Anyone, with or without credentials. */
  public static GrpcAccess permitAll() {
    return PERMIT_ALL;
  }

  /** Any caller whose credentials were checked. */
  public static GrpcAccess authenticated() {
    return AUTHENTICATED;
  }

  /** Nobody. */
  public static GrpcAccess denyAll() {
    return DENY_ALL;
  }

  /** Authenticated callers with at least one of the roles ({@code ADMIN} means {@code ROLE_ADMIN}). */
  public static GrpcAccess hasAnyRole(String... roles) {
    return hasAnyRole(List.of(roles));
  }

  /** Authenticated callers with at least one of the roles. */
  public static GrpcAccess hasAnyRole(List<String> roles) {
    return hasAnyAuthority(roles.stream()
        .map(r -> r.startsWith("ROLE_") ? r : "ROLE_" + r).toList());
  }

  /** Authenticated callers with at least one of the authorities (such as {@code SCOPE_read}). */
  public static GrpcAccess hasAnyAuthority(String... authorities) {
    return hasAnyAuthority(List.of(authorities));
  }

  /** Authenticated callers with at least one of the authorities. */
  public static GrpcAccess hasAnyAuthority(List<String> authorities) {
    if (authorities.isEmpty()) {
      throw new IllegalArgumentException("Name at least one authority or role");
    }
    return new GrpcAccess(Kind.ANY_AUTHORITY, Set.copyOf(authorities));
  }

  /** Whether {@code authentication} (an anonymous token or null for no credentials) may call. */
  public boolean allows(Authentication authentication) {
    boolean authenticated = isAuthenticated(authentication);
    return switch (kind) {
      case PERMIT_ALL -> true;
      case DENY_ALL -> false;
      case AUTHENTICATED -> authenticated;
      case ANY_AUTHORITY -> authenticated && authentication.getAuthorities().stream()
          .map(GrantedAuthority::getAuthority).anyMatch(authorities::contains);
    };
  }

  /** Whether the caller showed credentials that were checked (not anonymous). */
  static boolean isAuthenticated(@Nullable Authentication authentication) {
    return authentication != null && authentication.isAuthenticated()
        && !(authentication instanceof AnonymousAuthenticationToken);
  }

  @Override
  public String toString() {
    return kind == Kind.ANY_AUTHORITY ? "hasAnyAuthority" + authorities
        : kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
