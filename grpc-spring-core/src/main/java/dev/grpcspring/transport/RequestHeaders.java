package dev.grpcspring.transport;

import dev.grpcspring.protocol.GrpcHeaders;
import dev.grpcspring.protocol.MetadataCodec;
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
 * call's bytes (JFR).
 *
 * <p>The checks sort each name by its length first, and remember where the fields the server reads
 * by name sit ({@link #field}), so that the server does not search the block for each of them: on
 * a server whose event loop is its busiest thread, the name comparisons of the checks and of those
 * searches were about 9% of the loop's CPU samples. Event loop only.
 */
final class RequestHeaders extends ArrayHeaders {
  private static final AsciiString TRAILERS = AsciiString.cached("trailers");
  private static final AsciiString METHOD = AsciiString.cached(":method");
  private static final AsciiString SCHEME = AsciiString.cached(":scheme");
  private static final AsciiString PATH = AsciiString.cached(":path");
  private static final AsciiString AUTHORITY = AsciiString.cached(":authority");

  // The fields the server reads by name, as slots of `at`.
  static final int SLOT_METHOD = 0;
  static final int SLOT_SCHEME = 1;
  static final int SLOT_PATH = 2;
  static final int SLOT_AUTHORITY = 3;
  static final int SLOT_CONTENT_TYPE = 4;
  static final int SLOT_TE = 5;
  static final int SLOT_GRPC_TIMEOUT = 6;
  static final int SLOT_GRPC_ENCODING = 7;
  static final int SLOT_GRPC_ACCEPT_ENCODING = 8;
  private static final CharSequence[] SLOT_NAMES = {METHOD, SCHEME, PATH, AUTHORITY,
      GrpcHeaders.CONTENT_TYPE, GrpcHeaders.TE, GrpcHeaders.GRPC_TIMEOUT,
      GrpcHeaders.GRPC_ENCODING, GrpcHeaders.GRPC_ACCEPT_ENCODING};
  /** Not a slot: a connection-specific name (RFC 9113 §8.2.2). */
  private static final int CONNECTION_SPECIFIC = -2;
  private static final int SLOT_BITS = 7;
  private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;

  /**
   * For each slot, 7 bits: 1 + the number of the first field with that name, or 0 when there is
   * none. In a long rather than an array, which would be one more object per request.
   */
  private long at;
  /** False once a field's number did not fit its slot or a field was removed: search instead. */
  private boolean indexed = true;
  private boolean regularSeen;
  private @Nullable String problem;

  RequestHeaders(int sizeHint) {
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
      if (isPseudoHeader(e.getKey())) {
        return "pseudo-header " + e.getKey() + " in trailers";
      }
    }
    return null;
  }

  /**
   * The value of the first field in {@code slot} ({@code SLOT_*}) of {@code headers}, or null;
   * without a search when the block is a {@link RequestHeaders}.
   */
  static @Nullable CharSequence field(Http2Headers headers, int slot) {
    if (headers instanceof RequestHeaders r && r.indexed) {
      int f = r.fieldNumber(slot);
      return f < 0 ? null : r.valueOf(f);
    }
    return headers.get(SLOT_NAMES[slot]);
  }

  private int fieldNumber(int slot) {
    return (int) (at >>> (slot * SLOT_BITS) & SLOT_MASK) - 1;
  }

  /** Records that the field about to be added (number {@link #fieldCount()}) fills {@code slot}. */
  private void record(int slot) {
    record(slot, fieldCount());
  }

  private void record(int slot, int field) {
    if (fieldNumber(slot) >= 0) {
      return; // the first field of a name is the one read
    }
    if (field + 1 > SLOT_MASK) {
      indexed = false;
      return;
    }
    at |= (long) (field + 1) << (slot * SLOT_BITS);
  }

  @Override
  public @Nullable CharSequence method() {
    return field(this, SLOT_METHOD);
  }

  @Override
  public @Nullable CharSequence scheme() {
    return field(this, SLOT_SCHEME);
  }

  @Override
  public @Nullable CharSequence path() {
    return field(this, SLOT_PATH);
  }

  @Override
  public @Nullable CharSequence authority() {
    return field(this, SLOT_AUTHORITY);
  }

  /**
   * Removes the fields named {@code name} and finds the slots' fields again, as the fields after
   * them move up. Netty's decoder does this for every request with a {@code content-length}
   * (it normalizes the value), so giving up the slots here would give them up for such clients.
   */
  @Override
  public boolean remove(CharSequence name) {
    boolean removed = super.remove(name);
    if (removed && indexed) {
      at = 0;
      for (int f = 0; f < fieldCount() && indexed; f++) {
        int slot = slotOf(nameOf(f));
        if (slot >= 0) {
          record(slot, f);
        }
      }
    }
    return removed;
  }

  @Override
  public Http2Headers clear() {
    at = 0;
    indexed = true;
    return super.clear();
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
      int slot = pseudoHeaderSlot(name);
      if (slot < 0) {
        return "pseudo-header " + name + " is not a request pseudo-header";
      }
      if (indexed ? fieldNumber(slot) >= 0 : contains(name)) {
        return "duplicate pseudo-header " + name;
      }
      record(slot);
    } else {
      regularSeen = true;
      String bad = badNameChar(name);
      if (bad != null) {
        return "header name '" + printable(name) + "' contains " + bad;
      }
      int slot = regularSlot(name);
      if (slot == CONNECTION_SPECIFIC) {
        return "connection-specific header '" + name + "'";
      }
      if (slot == SLOT_TE && !TRAILERS.contentEquals(value)) {
        return "te header with a value other than 'trailers'";
      }
      if (slot >= 0) {
        record(slot);
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

  /** The slot of a field's name, a negative number for a name without one. */
  private static int slotOf(CharSequence name) {
    return isPseudoHeader(name) ? pseudoHeaderSlot(name) : regularSlot(name);
  }

  private static boolean isPseudoHeader(CharSequence name) {
    return name.length() > 0 && name.charAt(0) == ':';
  }

  /** The slot of a request pseudo-header's name, or -1 for any other pseudo-header. */
  private static int pseudoHeaderSlot(CharSequence name) {
    switch (name.length()) {
      case 5:
        return PATH.contentEquals(name) ? SLOT_PATH : -1;
      case 7:
        return METHOD.contentEquals(name) ? SLOT_METHOD
            : SCHEME.contentEquals(name) ? SLOT_SCHEME : -1;
      case 10:
        return AUTHORITY.contentEquals(name) ? SLOT_AUTHORITY : -1;
      default:
        return -1;
    }
  }

  /**
   * The slot of a regular field's name, {@link #CONNECTION_SPECIFIC}, or -1 for any other name;
   * by length first, so that a name is compared with at most two others.
   */
  private static int regularSlot(CharSequence name) {
    switch (name.length()) {
      case 2:
        return AsciiString.contentEquals(GrpcHeaders.TE, name) ? SLOT_TE : -1;
      case 12:
        return AsciiString.contentEquals(GrpcHeaders.CONTENT_TYPE, name) ? SLOT_CONTENT_TYPE
            : AsciiString.contentEquals(GrpcHeaders.GRPC_TIMEOUT, name) ? SLOT_GRPC_TIMEOUT : -1;
      case 13:
        return AsciiString.contentEquals(GrpcHeaders.GRPC_ENCODING, name) ? SLOT_GRPC_ENCODING : -1;
      case 20:
        return AsciiString.contentEquals(GrpcHeaders.GRPC_ACCEPT_ENCODING, name)
            ? SLOT_GRPC_ACCEPT_ENCODING : -1;
      default:
        return MetadataCodec.isConnectionSpecific(name) ? CONNECTION_SPECIFIC : -1;
    }
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
