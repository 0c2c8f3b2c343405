package dev.grpcspring.resolver;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Splits a target string into URI parts the way RFC 3986 (Appendix B) does, leniently: unlike
 * {@link URI}, it accepts brackets and other characters gRPC targets carry in their paths ({@code
 * passthrough:///[::1]:50051}), as grpc-go's {@code url.Parse} does.
 */
final class TargetParser {
  private static final Pattern RFC3986 =
      Pattern.compile("^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\\?([^#]*))?(?:#(.*))?$", Pattern.DOTALL);
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

  private TargetParser() {}

  /**
   * Parses {@code target} as {@code scheme:[//authority]path}.
   *
   * @return the target, or null when it has no valid scheme or bad percent-escapes (the caller
   *     then falls back to the default scheme)
   */
  static @Nullable Target tryParse(String target) {
    Matcher m = RFC3986.matcher(target);
    if (!m.matches()) {
      return null;
    }
    String scheme = m.group(1);
    if (scheme == null || !SCHEME.matcher(scheme).matches()) {
      return null;
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    String rawAuthority = m.group(2);
    String authority = rawAuthority == null ? null : decode(rawAuthority);
    String path = decode(m.group(3));
    if (path == null || (rawAuthority != null && authority == null)) {
      return null;
    }
    boolean opaque = authority == null && !path.startsWith("/");
    String endpoint = path.startsWith("/") ? path.substring(1) : path;
    return new Target(
        scheme,
        authority == null ? "" : authority,
        endpoint,
        toUri(scheme, authority, path, opaque, m.group(4)));
  }

  /** A {@link URI} for the parts, quoting what URI refuses; null when URI cannot hold them. */
  private static @Nullable URI toUri(
      String scheme, @Nullable String authority, String path, boolean opaque, @Nullable String query) {
    try {
      if (opaque) {
        return new URI(scheme, query == null ? path : path + "?" + query, null);
      }
      return new URI(scheme, authority == null ? "" : authority, path, query, null);
    } catch (URISyntaxException e) {
      // Some authorities that gRPC accepts (a list of IPv6 literals for "static") are not valid
      // server authorities for java.net.URI; the Target's own fields still hold them.
      return null;
    }
  }

  /** Percent-decodes as UTF-8; null when an escape is malformed. */
  private static @Nullable String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); ) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi << 4 | lo);
        i += 3;
      } else {
        int cp = s.codePointAt(i);
        byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        i += Character.charCount(cp);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
