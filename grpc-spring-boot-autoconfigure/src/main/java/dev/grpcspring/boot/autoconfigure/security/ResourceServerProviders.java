package dev.grpcspring.boot.autoconfigure.security;

import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * The bearer-token providers made from the application's {@link JwtDecoder} and
 * {@link OpaqueTokenIntrospector}. Its own class, loaded only when the resource server module is
 * present.
 */
final class ResourceServerProviders {
  private ResourceServerProviders() {}

  static void addTo(List<AuthenticationProvider> providers, ListableBeanFactory beans) {
    if (!ClassPresence.JOSE) {
      addOpaque(providers, beans);
      return;
    }
    beans.getBeanProvider(JwtDecoder.class).ifUnique(decoder -> {
      JwtAuthenticationProvider jwt = new JwtAuthenticationProvider(decoder);
      beans.getBeanProvider(JwtAuthenticationConverter.class)
          .ifUnique(jwt::setJwtAuthenticationConverter);
      providers.add(jwt);
    });
    addOpaque(providers, beans);
  }

  private static void addOpaque(List<AuthenticationProvider> providers, ListableBeanFactory beans) {
    beans.getBeanProvider(OpaqueTokenIntrospector.class)
        .ifUnique(i -> providers.add(new OpaqueTokenAuthenticationProvider(i)));
  }
}
