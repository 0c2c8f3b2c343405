package dev.grpcspring.boot.security;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Accepts a {@link X509CertificateAuthenticationToken}: the certificate was verified by the TLS
 * handshake, so the caller is who its certificate names. With a {@link UserDetailsService}, the
 * common name is looked up there for the caller's authorities (and an unknown or disabled user is
 * refused); without one the caller has no authorities.
 */
public class X509CertificateAuthenticationProvider implements AuthenticationProvider {

  private final @Nullable UserDetailsService users;

  /** @param users where authorities come from, or {@code null} for none */
  public X509CertificateAuthenticationProvider(@Nullable UserDetailsService users) {
    this.users = users;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    X509CertificateAuthenticationToken token = (X509CertificateAuthenticationToken) authentication;
    if (users == null) {
      return new X509CertificateAuthenticationToken(token.getCredentials(), List.of());
    }
    UserDetails user;
    try {
      user = users.loadUserByUsername(token.getName());
    } catch (UsernameNotFoundException e) {
      throw new BadCredentialsException("No user '" + token.getName()
          + "' for the client certificate", e);
    }
    if (!user.isEnabled() || !user.isAccountNonLocked() || !user.isAccountNonExpired()) {
      throw new BadCredentialsException("User '" + token.getName()
          + "' of the client certificate is disabled, locked or expired");
    }
    return new X509CertificateAuthenticationToken(token.getCredentials(), user.getAuthorities());
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return X509CertificateAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
