package dev.grpcspring.transport;

import io.netty.util.AsciiString;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The Strings a connection's requests name again and again: the method of a {@code :path} and the
 * {@code :authority}. A client asks for the same few methods on a connection, and HPACK hands back
 * the same value (often the same instance), so the last few are kept and not built again from the
 * header bytes on every call. One per connection, confined to its event loop.
 */
final class RequestNames {
  static final int METHOD_CACHE_SIZE = 8;
  private final @Nullable CharSequence[] cachedPaths = new CharSequence[METHOD_CACHE_SIZE];
  private final @Nullable String[] cachedMethods = new String[METHOD_CACHE_SIZE];
  private int nextCachedPath;
  private @Nullable CharSequence lastAuthority;
  private @Nullable String lastAuthorityString;

  /** The full method name of a {@code :path} that starts with a slash (without the slash). */
  String methodName(CharSequence path) {
    for (int i = 0; i < METHOD_CACHE_SIZE; i++) {
      CharSequence p = cachedPaths[i];
      if (p == null) {
        break;
      }
      if (p == path || AsciiString.contentEquals(p, path)) {
        return Objects.requireNonNull(cachedMethods[i]);
      }
    }
    String name = path.subSequence(1, path.length()).toString();
    int slot = nextCachedPath;
    nextCachedPath = (slot + 1) % METHOD_CACHE_SIZE;
    cachedPaths[slot] = AsciiString.of(path);
    cachedMethods[slot] = name;
    return name;
  }

  /** The {@code :authority} as a String; the last one is kept (it rarely changes on a connection). */
  String authority(CharSequence authority) {
    CharSequence last = lastAuthority;
    String lastString = lastAuthorityString;
    if (last != null && lastString != null
        && (last == authority || AsciiString.contentEquals(last, authority))) {
      return lastString;
    }
    String s = authority.toString();
    lastAuthority = AsciiString.of(authority);
    lastAuthorityString = s;
    return s;
  }
}
