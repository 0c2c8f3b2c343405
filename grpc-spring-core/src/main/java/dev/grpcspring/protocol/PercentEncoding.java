package dev.grpcspring.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The percent-encoding of {@code grpc-message}: UTF-8 bytes in {@code %x20-%x24 / %x26-%x7E} stay as
 * they are, every other byte becomes {@code %XX} with uppercase hex. Decoding never fails: an escape
 * that is not two hex digits is kept as it is, as the spec asks.
 */
public final class PercentEncoding {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private PercentEncoding() {}

  /** Encodes {@code message} for the {@code grpc-message} header; null stays null. */
  public static @Nullable String encode(@Nullable String message) {
    if (message == null) {
      return null;
    }
    // Fast path: most messages need no escaping.
    boolean plain = true;
    for (int i = 0; i < message.length(); i++) {
      if (!isUnreserved(message.charAt(i))) {
        plain = false;
        break;
      }
    }
    if (plain) {
      return message;
    }
    byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[utf8.length * 3];
    int w = 0;
    for (byte b : utf8) {
      int c = b & 0xFF;
      if (isUnreserved(c)) {
        out[w++] = b;
      } else {
        out[w++] = '%';
        out[w++] = HEX[c >>> 4];
        out[w++] = HEX[c & 0xF];
      }
    }
    return new String(out, 0, w, StandardCharsets.US_ASCII);
  }

  /**
   * Decodes a received {@code grpc-message}. Valid escapes become their bytes and the result is read
   * as UTF-8 (malformed sequences become U+FFFD); bad escapes are kept literally.
   * Characters up to U+00FF are taken as the raw bytes of a header value. Null stays null.
   */
  public static @Nullable String decode(@Nullable CharSequence encoded) {
    if (encoded == null) {
      return null;
    }
    int len = encoded.length();
    boolean hasEscape = false;
    for (int i = 0; i < len; i++) {
      if (encoded.charAt(i) == '%') {
        hasEscape = true;
        break;
      }
    }
    if (!hasEscape) {
      return encoded.toString();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(len);
    for (int i = 0; i < len; i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < len) {
        int hi = Character.digit(encoded.charAt(i + 1), 16);
        int lo = Character.digit(encoded.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          out.write((hi << 4) | lo);
          i += 2;
          continue;
        }
      }
      if (c <= 0xFF) {
        // Header values arrive as one char per byte; keep the byte.
        out.write(c);
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean isUnreserved(int c) {
    return c >= 0x20 && c <= 0x7E && c != '%';
  }
}
