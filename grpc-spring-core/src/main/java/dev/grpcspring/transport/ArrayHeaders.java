package dev.grpcspring.transport;

import io.netty.handler.codec.EmptyHeaders;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A header block kept as name, value, ... in one array and searched linearly. A gRPC header block
 * carries a handful of fields read once, in order or by name, so a hash table of entries (Netty's
 * {@code DefaultHttp2Headers}: a bucket array and an entry object per field) is allocation
 * without a use; grpc-java decodes into arrays for the same reason. The client decodes response
 * headers and trailers into it; the server's {@link RequestHeaders} adds its checks.
 *
 * <p>Supports what HPACK decoding, Netty's connection decoder and our streams use: adding,
 * reading by name, iterating, and replacing or removing a field (content-length normalization);
 * the rest of {@link Http2Headers} answers as {@link EmptyHeaders} does (nothing there, read
 * only). Names compare case-sensitively: HTTP/2 field names are lower case (RFC 9113 §8.2.1).
 * Iterating hands out one reused entry, valid until the next {@code next}. One thread at a time.
 */
class ArrayHeaders extends EmptyHeaders<CharSequence, CharSequence, Http2Headers>
    implements Http2Headers {
  private static final AsciiString STATUS = AsciiString.cached(":status");
  private static final AsciiString METHOD = AsciiString.cached(":method");
  private static final AsciiString SCHEME = AsciiString.cached(":scheme");
  private static final AsciiString AUTHORITY = AsciiString.cached(":authority");
  private static final AsciiString PATH = AsciiString.cached(":path");

  private CharSequence[] fields;
  /** Names and values stored: twice the number of fields. */
  private int length;

  ArrayHeaders(int sizeHint) {
    // A response rarely has more than four fields; the decoder's guess follows what it has seen.
    fields = new CharSequence[Math.max(8, Math.min(sizeHint, 64) * 2)];
  }

  /** Called before each field is stored; a subclass checks it here. */
  protected void beforeAdd(CharSequence name, CharSequence value) {}

  /** How many fields are stored; during {@link #beforeAdd}, the number the new field will get. */
  protected final int fieldCount() {
    return length / 2;
  }

  /** The name of field number {@code field} (0-based, in the order added). */
  protected final CharSequence nameOf(int field) {
    return fields[field * 2];
  }

  /** The value of field number {@code field} (0-based, in the order added). */
  protected final CharSequence valueOf(int field) {
    return fields[field * 2 + 1];
  }

  @Override
  public final Http2Headers add(CharSequence name, CharSequence value) {
    beforeAdd(name, value);
    if (length + 2 > fields.length) {
      fields = java.util.Arrays.copyOf(fields, fields.length * 2);
    }
    fields[length++] = name;
    fields[length++] = value;
    return this;
  }

  @Override
  public Http2Headers set(CharSequence name, CharSequence value) {
    remove(name);
    return add(name, value);
  }

  /**
   * Replaces the fields named {@code name} with one holding {@code value} in decimal, unless the
   * block already holds exactly that: Netty's decoder sets {@code content-length} to the value it
   * parsed from the field itself on every request that carries one, and rewriting the same digits
   * cost a string, a removal and a re-check per request.
   */
  @Override
  public Http2Headers setLong(CharSequence name, long value) {
    int found = -1;
    for (int i = 0; i < length; i += 2) {
      if (AsciiString.contentEquals(fields[i], name)) {
        if (found >= 0) {
          found = -1; // more than one field: replace them all
          break;
        }
        found = i;
      }
    }
    if (found >= 0 && isDecimal(fields[found + 1], value)) {
      return this;
    }
    return set(name, AsciiString.of(Long.toString(value)));
  }

  /**
   * Whether {@code text} is {@code value} written as {@link Long#toString} writes it; false for
   * 19 digits and more (those could overflow here, and the caller then just replaces the field).
   */
  static boolean isDecimal(CharSequence text, long value) {
    int n = text.length();
    if (value < 0 || n == 0 || n > 18 || (n > 1 && text.charAt(0) == '0')) {
      return false;
    }
    long parsed = 0;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      parsed = parsed * 10 + (c - '0');
    }
    return parsed == value;
  }

  @Override
  public boolean remove(CharSequence name) {
    int w = 0;
    for (int r = 0; r < length; r += 2) {
      if (!AsciiString.contentEquals(fields[r], name)) {
        fields[w] = fields[r];
        fields[w + 1] = fields[r + 1];
        w += 2;
      }
    }
    boolean removed = w < length;
    java.util.Arrays.fill(fields, w, length, null);
    length = w;
    return removed;
  }

  @Override
  public Http2Headers clear() {
    java.util.Arrays.fill(fields, 0, length, null);
    length = 0;
    return this;
  }

  @Override
  public @Nullable CharSequence get(CharSequence name) {
    for (int i = 0; i < length; i += 2) {
      if (AsciiString.contentEquals(fields[i], name)) {
        return fields[i + 1];
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
    for (int i = 0; i < length; i += 2) {
      if (AsciiString.contentEquals(fields[i], name)) {
        if (out == null) {
          out = new ArrayList<>(2);
        }
        out.add(fields[i + 1]);
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
    for (int i = 0; i < length; i += 2) {
      if (AsciiString.contentEquals(fields[i], name)
          && (caseInsensitive ? AsciiString.contentEqualsIgnoreCase(fields[i + 1], value)
              : AsciiString.contentEquals(fields[i + 1], value))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int size() {
    return length / 2;
  }

  @Override
  public boolean isEmpty() {
    return length == 0;
  }

  @Override
  public Set<CharSequence> names() {
    Set<CharSequence> names = new LinkedHashSet<>();
    for (int i = 0; i < length; i += 2) {
      names.add(fields[i]);
    }
    return names;
  }

  /** The entries in order; one entry object is reused, so read it before the next {@code next()}. */
  @Override
  public Iterator<Map.Entry<CharSequence, CharSequence>> iterator() {
    return new FieldIterator();
  }

  @Override
  public Iterator<CharSequence> valueIterator(CharSequence name) {
    return getAll(name).iterator();
  }

  @Override
  public Http2Headers method(CharSequence value) {
    return set(METHOD, value);
  }

  @Override
  public Http2Headers scheme(CharSequence value) {
    return set(SCHEME, value);
  }

  @Override
  public Http2Headers authority(CharSequence value) {
    return set(AUTHORITY, value);
  }

  @Override
  public Http2Headers path(CharSequence value) {
    return set(PATH, value);
  }

  @Override
  public Http2Headers status(CharSequence value) {
    return set(STATUS, value);
  }

  @Override
  public @Nullable CharSequence method() {
    return get(METHOD);
  }

  @Override
  public @Nullable CharSequence scheme() {
    return get(SCHEME);
  }

  @Override
  public @Nullable CharSequence authority() {
    return get(AUTHORITY);
  }

  @Override
  public @Nullable CharSequence path() {
    return get(PATH);
  }

  @Override
  public @Nullable CharSequence status() {
    return get(STATUS);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('[');
    for (int i = 0; i < length; i += 2) {
      sb.append(i == 0 ? "" : ", ").append(fields[i]).append(": ").append(fields[i + 1]);
    }
    return sb.append(']').toString();
  }

  private final class FieldIterator
      implements Iterator<Map.Entry<CharSequence, CharSequence>>, Map.Entry<CharSequence, CharSequence> {
    private int next;
    private @Nullable CharSequence name;
    private @Nullable CharSequence value;

    @Override
    public boolean hasNext() {
      return next < length;
    }

    @Override
    public Map.Entry<CharSequence, CharSequence> next() {
      if (next >= length) {
        throw new NoSuchElementException();
      }
      name = fields[next];
      value = fields[next + 1];
      next += 2;
      return this;
    }

    @Override
    public CharSequence getKey() {
      if (name == null) {
        throw new IllegalStateException("next() was not called");
      }
      return name;
    }

    @Override
    public CharSequence getValue() {
      if (value == null) {
        throw new IllegalStateException("next() was not called");
      }
      return value;
    }

    @Override
    public CharSequence setValue(CharSequence v) {
      throw new UnsupportedOperationException("read only");
    }
  }
}
