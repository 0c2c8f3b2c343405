package dev.grpcspring.protocol;

import dev.grpcspring.Metadata;
import io.netty.util.AsciiString;
import java.util.Base64;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Converts {@link Metadata} to and from HTTP/2 headers: {@code -bin} values are base64 (emitted
 * unpadded; padded and unpadded accepted, comma-joined values split before decoding), reserved
 * headers are hidden from the application and never taken from it, and HTTP/2 connection-specific
 * headers are never sent or passed on.
 */
public final class MetadataCodec {
  private static final Logger log = Logger.getLogger(MetadataCodec.class.getName());

  private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();
  // The basic decoder accepts both padded and unpadded input.
  private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();

  private static final AsciiString CONNECTION = AsciiString.cached("connection");
  private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
  private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
  private static final AsciiString TRANSFER_ENCODING = AsciiString.cached("transfer-encoding");
  private static final AsciiString UPGRADE = AsciiString.cached("upgrade");

  private MetadataCodec() {}

  /**
   * Whether the transport owns this header: pseudo-headers, content-type, te, grpc-timeout,
   * grpc-encoding, grpc-accept-encoding, grpc-status, grpc-message, grpc-message-type. user-agent,
   * :authority (as {@code ServerCall.getAuthority}) and grpc-status-details-bin reach the application.
   */
  public static boolean isReserved(CharSequence name) {
    // By length first: every received field and every sent entry passes here, so a name is
    // compared with at most three others (a set lookup hashed each name, and wrapped Strings).
    if (name.length() > 0 && name.charAt(0) == ':') {
      return true; // every pseudo-header, whatever its length
    }
    switch (name.length()) {
      case 2:
        return is(GrpcHeaders.TE, name);
      case 11:
        return is(GrpcHeaders.GRPC_STATUS, name);
      case 12:
        return is(GrpcHeaders.CONTENT_TYPE, name) || is(GrpcHeaders.GRPC_TIMEOUT, name)
            || is(GrpcHeaders.GRPC_MESSAGE, name);
      case 13:
        return is(GrpcHeaders.GRPC_ENCODING, name);
      case 17:
        return is(GrpcHeaders.GRPC_MESSAGE_TYPE, name);
      case 20:
        return is(GrpcHeaders.GRPC_ACCEPT_ENCODING, name);
      default:
        return false;
    }
  }

  /**
   * Whether this is an HTTP/1 connection-specific header, which HTTP/2 forbids (RFC 9113 §8.2.2):
   * connection, keep-alive, proxy-connection, transfer-encoding, upgrade.
   */
  public static boolean isConnectionSpecific(CharSequence name) {
    switch (name.length()) {
      case 7:
        return UPGRADE.contentEquals(name);
      case 10:
        return CONNECTION.contentEquals(name) || KEEP_ALIVE.contentEquals(name);
      case 16:
        return PROXY_CONNECTION.contentEquals(name);
      case 17:
        return TRANSFER_ENCODING.contentEquals(name);
      default:
        return false;
    }
  }

  private static boolean is(CharSequence known, CharSequence name) {
    return AsciiString.contentEquals(known, name);
  }

  /**
   * Adds every application header of {@code metadata} to {@code headers}. Reserved,
   * connection-specific and illegal names, and ASCII values with characters outside {@code %x20-%x7E}, are
   * dropped with a warning: sending them would break the call.
   */
  public static void addTo(Metadata metadata, HeaderSink headers) {
    for (int i = 0; i < metadata.size(); i++) {
      String name = metadata.name(i);
      if (isReserved(name) || isConnectionSpecific(name)) {
        log.log(Level.WARNING, "Dropping metadata {0}: the transport owns that header", name);
        continue;
      }
      if (!isValidName(name)) {
        log.log(Level.WARNING, "Dropping metadata ''{0}'': not a legal header name (use a-z, 0-9, "
            + "'_', '-', '.')", name);
        continue;
      }
      Object raw = metadata.rawValue(i);
      if (raw instanceof byte[] bytes) {
        headers.add(new AsciiString(name), new AsciiString(BASE64.encode(bytes), false));
      } else {
        String value = (String) raw;
        if (!isValidAsciiValue(value)) {
          log.log(Level.WARNING,
              "Dropping metadata {0}: its value has characters outside printable ASCII", name);
          continue;
        }
        headers.add(new AsciiString(name), new AsciiString(value));
      }
    }
  }

  /**
   * The application metadata in received headers. Reserved and connection-specific headers are
   * left out; a name that is not a legal metadata name, an ASCII value with characters outside
   * {@code %x20-%x7E} (after trimming spaces and tabs), or a binary value that is not base64 is
   * dropped (logged at FINE), as the spec allows.
   */
  public static Metadata fromHeaders(Iterable<Map.Entry<CharSequence, CharSequence>> headers) {
    Metadata md = new Metadata();
    for (Map.Entry<CharSequence, CharSequence> e : headers) {
      CharSequence name = e.getKey();
      if (isReserved(name) || isConnectionSpecific(name)) {
        continue;
      }
      String n = name.toString();
      if (!isValidName(n)) {
        log.log(Level.FINE, "Dropping received header with an illegal metadata name: {0}", n);
        continue;
      }
      CharSequence value = e.getValue();
      if (n.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        addBinary(md, n, value);
      } else {
        String v = trim(value);
        if (!isValidAsciiValue(v)) {
          log.log(Level.FINE, "Dropping received header {0}: value is not printable ASCII", n);
          continue;
        }
        md.putAscii(n, v);
      }
    }
    return md;
  }

  /**
   * What a peer receives when {@code metadata} goes through {@link #addTo} and {@link #fromHeaders},
   * for transports that hand over Metadata objects instead of headers (in-process): the same
   * entries dropped (with the same warnings), ASCII values trimmed, binary values copied.
   */
  public static Metadata transfer(Metadata metadata) {
    Metadata md = new Metadata();
    for (int i = 0; i < metadata.size(); i++) {
      String name = metadata.name(i);
      if (isReserved(name) || isConnectionSpecific(name)) {
        log.log(Level.WARNING, "Dropping metadata {0}: the transport owns that header", name);
        continue;
      }
      if (!isValidName(name)) {
        log.log(Level.WARNING, "Dropping metadata ''{0}'': not a legal header name (use a-z, 0-9, "
            + "'_', '-', '.')", name);
        continue;
      }
      Object raw = metadata.rawValue(i);
      if (raw instanceof byte[] bytes) {
        md.putBinary(name, bytes.clone());
      } else {
        String value = (String) raw;
        if (!isValidAsciiValue(value)) {
          log.log(Level.WARNING,
              "Dropping metadata {0}: its value has characters outside printable ASCII", name);
          continue;
        }
        md.putAscii(name, trim(value));
      }
    }
    return md;
  }

  /**
   * The bytes {@code metadata}'s entries add to an HTTP/2 header list, as
   * SETTINGS_MAX_HEADER_LIST_SIZE counts them (RFC 9113 6.5.2: name, value and 32 per entry; binary values as unpadded base64).
   */
  public static long headerListSize(Metadata metadata) {
    long size = 0;
    for (int i = 0; i < metadata.size(); i++) {
      Object raw = metadata.rawValue(i);
      int valueLength = raw instanceof byte[] bytes
          ? (bytes.length * 4 + 2) / 3
          : ((String) raw).length();
      size += headerSize(metadata.name(i), valueLength);
    }
    return size;
  }

  /** The bytes one header adds to a header list: name, value and 32. */
  public static long headerSize(CharSequence name, int valueLength) {
    return name.length() + valueLength + 32L;
  }

  /** Encodes binary metadata as unpadded base64. */
  public static String encodeBinary(byte[] value) {
    return BASE64.encodeToString(value);
  }

  /**
   * Decodes one base64 value, padded or not.
   *
   * @throws IllegalArgumentException if it is not base64
   */
  public static byte[] decodeBinary(CharSequence value) {
    return BASE64_DECODER.decode(value.toString().trim());
  }

  private static void addBinary(Metadata md, String name, CharSequence value) {
    // Values of the same name may arrive joined with ','; each part is its own base64 value.
    String s = value.toString();
    int start = 0;
    while (true) {
      int comma = s.indexOf(',', start);
      String part = comma < 0 ? s.substring(start) : s.substring(start, comma);
      try {
        md.putBinary(name, BASE64_DECODER.decode(part.trim()));
      } catch (IllegalArgumentException ex) {
        log.log(Level.FINE, "Dropping received header {0}: value is not base64", name);
      }
      if (comma < 0) {
        return;
      }
      start = comma + 1;
    }
  }

  private static boolean isValidName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isValidAsciiValue(CharSequence value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  private static String trim(CharSequence value) {
    int start = 0;
    int end = value.length();
    while (start < end && isWhitespace(value.charAt(start))) {
      start++;
    }
    while (end > start && isWhitespace(value.charAt(end - 1))) {
      end--;
    }
    return value.subSequence(start, end).toString();
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }
}
