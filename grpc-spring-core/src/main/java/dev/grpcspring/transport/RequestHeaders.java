package dev.grpcspring.transport;

import io.netty.handler.codec.EmptyHeaders;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Headers.PseudoHeaderName;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
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
 * <p>Storage is one array of names and values, searched linearly (a request has about eight
 * fields): {@code DefaultHttp2Headers} cost a bucket array and a six-field entry per field, ~10% of
 * a server unary call's bytes (JFR), and a new list for every {@code getAll} Netty makes per request
 * (content-length). Only what Netty's decoder and the server read is implemented; the rest of
 * {@link Http2Headers} answers as {@link EmptyHeaders} does (nothing there, read only). Iterating
 * hands out one reused entry, valid until the next call to {@code next}. Event loop only.
 */
final class RequestHeaders extends EmptyHeaders<CharSequence, CharSequence, Http2Headers>
    implements Http2Headers {
  private static final AsciiString TE = AsciiString.cached("te");
  private static final AsciiString TRAILERS = AsciiString.cached("trailers");

  /** Name i at 2i, its value at 2i + 1. */
  private @Nullable CharSequence[] fields;
  private int size;
  private boolean regularSeen;
  private @Nullable String problem;

  private RequestHeaders(int sizeHint) {
    fields = new CharSequence[2 * Math.max(4, Math.min(sizeHint, 64))];
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

  // ---- storage ----

  @Override
  public Http2Headers add(CharSequence name, CharSequence value) {
    if (problem == null) {
      problem = check(name, value);
    }
    if (2 * size == fields.length) {
      fields = java.util.Arrays.copyOf(fields, fields.length * 2);
    }
    fields[2 * size] = name;
    fields[2 * size + 1] = value;
    size++;
    return this;
  }

  @Override
  public Http2Headers set(CharSequence name, CharSequence value) {
    remove(name);
    return add(name, value);
  }

  @Override
  public Http2Headers setLong(CharSequence name, long value) {
    return set(name, AsciiString.of(Long.toString(value)));
  }

  @Override
  public boolean remove(CharSequence name) {
    int w = 0;
    for (int r = 0; r < size; r++) {
      if (!AsciiString.contentEquals(name, fields[2 * r])) {
        fields[2 * w] = fields[2 * r];
        fields[2 * w + 1] = fields[2 * r + 1];
        w++;
      }
    }
    boolean removed = w < size;
    java.util.Arrays.fill(fields, 2 * w, 2 * size, null);
    size = w;
    return removed;
  }

  @Override
  public @Nullable CharSequence get(CharSequence name) {
    for (int i = 0; i < size; i++) {
      if (AsciiString.contentEquals(name, fields[2 * i])) {
        return fields[2 * i + 1];
      }
    }
    return null;
  }

  @Override
  public CharSequence get(CharSequence name, CharSequence defaultValue) {
    CharSequence v = get(name);
    return v == null ? defaultValue : v;
  }

  @Override
  public List<CharSequence> getAll(CharSequence name) {
    List<CharSequence> out = null;
    for (int i = 0; i < size; i++) {
      if (AsciiString.contentEquals(name, fields[2 * i])) {
        if (out == null) {
          out = new ArrayList<>(2);
        }
        out.add(value(i));
      }
    }
    return out == null ? Collections.emptyList() : out;
  }

  @Override
  public boolean contains(CharSequence name) {
    return get(name) != null;
  }

  @Override
  public boolean contains(CharSequence name, CharSequence value) {
    return contains(name, value, false);
  }

  @Override
  public boolean contains(CharSequence name, CharSequence value, boolean caseInsensitive) {
    for (int i = 0; i < size; i++) {
      if (AsciiString.contentEquals(name, fields[2 * i])
          && (caseInsensitive ? AsciiString.contentEqualsIgnoreCase(value, fields[2 * i + 1])
              : AsciiString.contentEquals(value, fields[2 * i + 1]))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  private CharSequence name(int i) {
    CharSequence n = fields[2 * i];
    if (n == null) {
      throw new IllegalStateException("no field " + i);
    }
    return n;
  }

  private CharSequence value(int i) {
    CharSequence v = fields[2 * i + 1];
    if (v == null) {
      throw new IllegalStateException("no field " + i);
    }
    return v;
  }

  @Override
  public Iterator<Map.Entry<CharSequence, CharSequence>> iterator() {
    return new FieldIterator();
  }

  /** The fields in order; one entry object, refilled by each {@code next}. */
  private final class FieldIterator
      implements Iterator<Map.Entry<CharSequence, CharSequence>>, Map.Entry<CharSequence, CharSequence> {
    private int next;
    private int current = -1;

    @Override
    public boolean hasNext() {
      return next < size;
    }

    @Override
    public Map.Entry<CharSequence, CharSequence> next() {
      if (next >= size) {
        throw new NoSuchElementException();
      }
      current = next++;
      return this;
    }

    @Override
    public CharSequence getKey() {
      return name(current);
    }

    @Override
    public CharSequence getValue() {
      return value(current);
    }

    @Override
    public CharSequence setValue(CharSequence value) {
      throw new UnsupportedOperationException("read only");
    }
  }

  @Override
  public Iterator<CharSequence> valueIterator(CharSequence name) {
    return getAll(name).iterator();
  }

  @Override
  public Http2Headers method(CharSequence value) {
    return set(PseudoHeaderName.METHOD.value(), value);
  }

  @Override
  public Http2Headers scheme(CharSequence value) {
    return set(PseudoHeaderName.SCHEME.value(), value);
  }

  @Override
  public Http2Headers authority(CharSequence value) {
    return set(PseudoHeaderName.AUTHORITY.value(), value);
  }

  @Override
  public Http2Headers path(CharSequence value) {
    return set(PseudoHeaderName.PATH.value(), value);
  }

  @Override
  public Http2Headers status(CharSequence value) {
    return set(PseudoHeaderName.STATUS.value(), value);
  }

  @Override
  public @Nullable CharSequence method() {
    return get(PseudoHeaderName.METHOD.value());
  }

  @Override
  public @Nullable CharSequence scheme() {
    return get(PseudoHeaderName.SCHEME.value());
  }

  @Override
  public @Nullable CharSequence authority() {
    return get(PseudoHeaderName.AUTHORITY.value());
  }

  @Override
  public @Nullable CharSequence path() {
    return get(PseudoHeaderName.PATH.value());
  }

  @Override
  public @Nullable CharSequence status() {
    return get(PseudoHeaderName.STATUS.value());
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("RequestHeaders[");
    for (int i = 0; i < size; i++) {
      b.append(i == 0 ? "" : ", ").append(name(i)).append(": ").append(value(i));
    }
    return b.append(']').toString();
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
