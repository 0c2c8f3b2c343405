package dev.grpcspring.transport;

import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import org.jspecify.annotations.Nullable;

/**
 * A request header block that checks the rules of RFC 9113 §8.2 and §8.3 as HPACK decodes it,
 * field by field, and remembers the first violation instead of throwing.
 *
 * <p>Netty's own validation throws from inside the HPACK decoder, before the stream exists; the
 * connection then treats the client's DATA for that stream as a frame on a stream that never
 * existed and ends the whole connection with GOAWAY(PROTOCOL_ERROR). A malformed request is a
 * stream error (RFC 9113 §8.1.1), so the server decodes without Netty's checks, lets the stream be
 * created, and resets only that stream when {@link #problem()} is set. Fields are kept in the order
 * received, which is the order checked.
 *
 * <p>Storage is {@link ArrayHeaders}' one array (a request has about eight fields):
 * {@code DefaultHttp2Headers} cost a bucket array and an entry per field, ~10% of a server unary
 * call's bytes (JFR). Event loop only.
 */
final class RequestHeaders extends ArrayHeaders {
  private static final AsciiString TE = AsciiString.cached("te");
  private static final AsciiString TRAILERS = AsciiString.cached("trailers");

  private boolean regularSeen;
  private @Nullable String problem;

  private RequestHeaders(int sizeHint) {
    super(sizeHint);
  }

  /** A headers decoder for a server connection that produces {@link RequestHeaders}. */
  static DefaultHttp2HeadersDecoder decoder(long maxHeaderListSize) {
    return new DefaultHttp2HeadersDecoder(false, false, maxHeaderListSize) {
      @Override
      protected Http2Headers newHeaders() {
        return new RequestHeaders(numberOfHeadersGuess());
      }
    };
  }

  /**
   * What makes a request's first header block malformed, or null: a field-level violation, or a
   * missing {@code :method} or {@code :scheme} (a missing {@code :path} is answered with HTTP 404,
   * as grpc-java does).
   */
  static @Nullable String requestProblem(Http2Headers headers) {
    if (headers instanceof RequestHeaders r && r.problem != null) {
      return r.problem;
    }
    if (headers.method() == null) {
      return "the request has no :method pseudo-header";
    }
    if (headers.scheme() == null) {
      return "the request has no :scheme pseudo-header";
    }
    return null;
  }

  /** What makes a trailer block malformed, or null: a field-level violation or a pseudo-header. */
  static @Nullable String trailersProblem(Http2Headers headers) {
    if (headers instanceof RequestHeaders r && r.problem != null) {
      return r.problem;
    }
    for (var e : headers) {
      if (e.getKey().length() > 0 && e.getKey().charAt(0) == ':') {
        return "pseudo-header " + e.getKey() + " in trailers";
      }
    }
    return null;
  }

  /** The first rule a field broke, or null. */
  @Nullable String problem() {
    return problem;
  }

  @Override
  protected void beforeAdd(CharSequence name, CharSequence value) {
    if (problem == null) {
      problem = check(name, value);
    }
  }

  // ---- checks ----

  private @Nullable String check(CharSequence name, CharSequence value) {
    if (name.length() == 0) {
      return "empty header name";
    }
    if (name.charAt(0) == ':') {
      if (regularSeen) {
        return "pseudo-header " + name + " after a regular header";
      }
      if (!AsciiString.contentEquals(":method", name)
          && !AsciiString.contentEquals(":scheme", name)
          && !AsciiString.contentEquals(":path", name)
          && !AsciiString.contentEquals(":authority", name)) {
        return "pseudo-header " + name + " is not a request pseudo-header";
      }
      if (contains(name)) {
        return "duplicate pseudo-header " + name;
      }
    } else {
      regularSeen = true;
      String bad = badNameChar(name);
      if (bad != null) {
        return "header name '" + printable(name) + "' contains " + bad;
      }
      if (isConnectionSpecific(name)) {
        return "connection-specific header '" + name + "'";
      }
      if (TE.contentEquals(name) && !TRAILERS.contentEquals(value)) {
        return "te header with a value other than 'trailers'";
      }
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0 || c == '\r' || c == '\n') {
        return "the value of " + printable(name) + " contains "
            + (c == 0 ? "NUL" : c == '\r' ? "CR" : "LF");
      }
    }
    return null;
  }

  /** RFC 9113 §8.2.1: no controls, space, uppercase, DEL, non-ASCII or colon in a name. */
  private static @Nullable String badNameChar(CharSequence name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return "an uppercase letter";
      }
      if (c <= 0x20 || c >= 0x7F || c == ':') {
        return "the character 0x" + Integer.toHexString(c);
      }
    }
    return null;
  }

  private static boolean isConnectionSpecific(CharSequence name) {
    return AsciiString.contentEquals("connection", name)
        || AsciiString.contentEquals("keep-alive", name)
        || AsciiString.contentEquals("proxy-connection", name)
        || AsciiString.contentEquals("transfer-encoding", name)
        || AsciiString.contentEquals("upgrade", name);
  }

  /** The name with unprintable characters escaped, for an error message. */
  private static String printable(CharSequence s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7F) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
