package dev.grpcspring.boot.autoconfigure.security;

import org.springframework.util.ClassUtils;

/** Which optional Spring Security modules the application has. */
final class ClassPresence {
  private ClassPresence() {}

  private static final ClassLoader LOADER = ClassPresence.class.getClassLoader();

  /** spring-security-oauth2-resource-server: bearer tokens on the server. */
  static final boolean RESOURCE_SERVER = ClassUtils.isPresent(
      "org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken",
      LOADER);

  /** spring-security-oauth2-jose: JWT decoding. */
  static final boolean JOSE = ClassUtils.isPresent(
      "org.springframework.security.oauth2.jwt.JwtDecoder", LOADER);
}
