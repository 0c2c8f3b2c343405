package dev.grpcspring.resolver;

import java.net.URI;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A parsed channel target per gRPC naming ({@code scheme://authority/endpoint}). {@link
 * ResolverRegistry#parseTarget} parses a channel's target string and, when it finds no registered
 * scheme, treats the whole string as an endpoint of the default scheme.
 *
 * @param scheme the URI scheme, lowercase
 * @param authority the URI authority (e.g. a DNS server), empty when absent
 * @param endpoint the path without its leading slash, or the opaque part for {@code scheme:opaque}
 * @param uri the parsed URI, or {@code null} when {@link URI} cannot hold the parts (some
 *     authorities gRPC accepts, such as a list of IPv6 literals, are not valid URI authorities)
 */
public record Target(String scheme, String authority, String endpoint, @Nullable URI uri) {
  public Target {
    Objects.requireNonNull(scheme, "scheme");
    authority = authority == null ? "" : authority;
    Objects.requireNonNull(endpoint, "endpoint");
  }

  /**
   * Parses {@code target} as a URI with a scheme ({@code scheme:[//authority]/endpoint} or {@code
   * scheme:opaque}), leniently as gRPC targets need (brackets in the path are fine). It does not
   * check that the scheme is registered: {@link ResolverRegistry#parseTarget} does that and falls
   * back to the default scheme.
   *
   * @throws IllegalArgumentException when the string has no valid scheme or a bad percent-escape
   */
  public static Target parse(String target) {
    Target parsed = TargetParser.tryParse(Objects.requireNonNull(target, "target"));
    if (parsed == null) {
      throw new IllegalArgumentException(
          "Target '" + target + "' is not a URI with a scheme (scheme:[//authority]/endpoint)");
    }
    return parsed;
  }

  @Override
  public String toString() {
    return uri != null ? uri.toString() : scheme + "://" + authority + "/" + endpoint;
  }
}
