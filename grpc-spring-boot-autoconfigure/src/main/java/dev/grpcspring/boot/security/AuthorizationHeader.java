package dev.grpcspring.boot.security;

import dev.grpcspring.Metadata;
import org.jspecify.annotations.Nullable;

/** The {@code authorization} request header, split into its scheme and the rest. */
final class AuthorizationHeader {
  static final Metadata.Key<String> KEY =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private AuthorizationHeader() {}

  /**
   * What follows {@code scheme} and a space in the header, or {@code null} when the header is
   * absent or uses another scheme. Schemes compare without case, as RFC 9110 §11.1 says.
   */
  static @Nullable String value(Metadata headers, String scheme) {
    String header = headers.get(KEY);
    if (header == null || header.length() <= scheme.length()
        || !header.regionMatches(true, 0, scheme, 0, scheme.length())
        || header.charAt(scheme.length()) != ' ') {
      return null;
    }
    return header.substring(scheme.length() + 1).trim();
  }
}
