package dev.grpcspring;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Call metadata: ordered name/value pairs sent as HTTP/2 headers or trailers. Names are lowercase;
 * names ending in {@code -bin} carry binary values (base64 on the wire, raw bytes here), all others
 * carry printable ASCII. Values for the same name keep their order. Not thread-safe.
 */
public final class Metadata {
  /** Suffix that marks a binary header. */
  public static final String BINARY_HEADER_SUFFIX = "-bin";

  /** Marshals ASCII values as themselves. */
  public static final AsciiMarshaller<String> ASCII_STRING_MARSHALLER =
      new AsciiMarshaller<>() {
        @Override
        public String toAsciiString(String value) {
          return value;
        }

        @Override
        public String parseAsciiString(String serialized) {
          return serialized;
        }
      };

  /** Marshals binary values as themselves. */
  public static final BinaryMarshaller<byte[]> BINARY_BYTE_MARSHALLER =
      new BinaryMarshaller<>() {
        @Override
        public byte[] toBytes(byte[] value) {
          return value;
        }

        @Override
        public byte[] parseBytes(byte[] serialized) {
          return serialized;
        }
      };

  private static final String[] NO_NAMES = {};
  private static final Object[] NO_VALUES = {};

  // Parallel arrays: names[i] with either a String (ASCII) or byte[] (binary) value. Most calls'
  // headers and trailers carry no metadata, so the arrays are made at the first entry.
  private String[] names = NO_NAMES;
  private Object[] values = NO_VALUES;
  private int size;

  public Metadata() {}

  /** The number of name/value pairs. */
  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Whether any value is present for the key. */
  public boolean containsKey(Key<?> key) {
    for (int i = 0; i < size; i++) {
      if (names[i].equals(key.name)) {
        return true;
      }
    }
    return false;
  }

  /** The last value added for the key, or {@code null}. */
  public <T> @Nullable T get(Key<T> key) {
    for (int i = size - 1; i >= 0; i--) {
      if (names[i].equals(key.name)) {
        return key.parse(values[i]);
      }
    }
    return null;
  }

  /** Every value for the key, in the order added; empty when there is none. */
  public <T> List<T> getAll(Key<T> key) {
    List<T> out = null;
    for (int i = 0; i < size; i++) {
      if (names[i].equals(key.name)) {
        if (out == null) {
          out = new ArrayList<>(2);
        }
        out.add(key.parse(values[i]));
      }
    }
    return out == null ? Collections.emptyList() : out;
  }

  /** The distinct names present, in first-seen order. */
  public Set<String> keys() {
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < size; i++) {
      out.add(names[i]);
    }
    return out;
  }

  /** Adds a value for the key after any existing ones. */
  public <T> void put(Key<T> key, T value) {
    Objects.requireNonNull(value, "value");
    add(key.name, key.serialize(value));
  }

  /** Removes the first value equal to {@code value}; returns whether one was removed. */
  public <T> boolean remove(Key<T> key, T value) {
    for (int i = 0; i < size; i++) {
      if (names[i].equals(key.name) && Objects.equals(key.parse(values[i]), value)) {
        removeAt(i);
        return true;
      }
    }
    return false;
  }

  /** Removes and returns every value for the key. */
  public <T> List<T> removeAll(Key<T> key) {
    List<T> out = getAll(key);
    discardAll(key);
    return out;
  }

  /** Removes every value for the key without parsing them. */
  public void discardAll(Key<?> key) {
    discardAll(key.name);
  }

  /** Removes every value for the name. */
  public void discardAll(String name) {
    int w = 0;
    for (int r = 0; r < size; r++) {
      if (!names[r].equals(name)) {
        names[w] = names[r];
        values[w] = values[r];
        w++;
      }
    }
    Arrays.fill(names, w, size, null);
    Arrays.fill(values, w, size, null);
    size = w;
  }

  /** Appends every pair of {@code other}. */
  public void merge(Metadata other) {
    for (int i = 0; i < other.size; i++) {
      add(other.names[i], other.values[i]);
    }
  }

  /** The name of pair {@code i}; for transports. */
  public String name(int i) {
    Objects.checkIndex(i, size);
    return names[i];
  }

  /**
   * The raw value of pair {@code i}: a {@link String} for ASCII names, a {@code byte[]} for binary
   * ({@code -bin}) names; for transports.
   */
  public Object rawValue(int i) {
    Objects.checkIndex(i, size);
    return values[i];
  }

  /**
   * Adds an already-validated ASCII pair, as a transport does when reading headers.
   *
   * @throws IllegalArgumentException if the name is binary
   */
  public void putAscii(String name, String value) {
    if (name.endsWith(BINARY_HEADER_SUFFIX)) {
      throw new IllegalArgumentException("Binary header " + name + " needs a byte[] value");
    }
    add(name, value);
  }

  /**
   * Adds an already-decoded binary pair, as a transport does when reading headers.
   *
   * @throws IllegalArgumentException if the name does not end in {@code -bin}
   */
  public void putBinary(String name, byte[] value) {
    if (!name.endsWith(BINARY_HEADER_SUFFIX)) {
      throw new IllegalArgumentException("Header " + name + " is not binary; its name must end in -bin");
    }
    add(name, value);
  }

  private void add(String name, Object value) {
    if (size == names.length) {
      int cap = size == 0 ? 4 : size * 2;
      names = Arrays.copyOf(names, cap);
      values = Arrays.copyOf(values, cap);
    }
    names[size] = name;
    values[size] = value;
    size++;
  }

  private void removeAt(int i) {
    System.arraycopy(names, i + 1, names, i, size - i - 1);
    System.arraycopy(values, i + 1, values, i, size - i - 1);
    size--;
    names[size] = null;
    values[size] = null;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Metadata(");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(names[i]).append('=');
      sb.append(values[i] instanceof byte[] b ? Arrays.toString(b) : values[i]);
    }
    return sb.append(')').toString();
  }

  /**
   * Checks that a name is a legal gRPC metadata name: {@code 1*(0-9 / a-z / "_" / "-" / ".")}.
   *
   * @throws IllegalArgumentException naming the bad character
   */
  public static String validateName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("Metadata name is empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
      if (!ok) {
        throw new IllegalArgumentException(
            "Metadata name '" + name + "' has illegal character '" + c
                + "' at " + i + "; use lowercase a-z, 0-9, '_', '-' and '.'");
      }
    }
    return name;
  }

  /** Converts ASCII values to and from their header form. */
  public interface AsciiMarshaller<T> {
    String toAsciiString(T value);

    T parseAsciiString(String serialized);
  }

  /** Converts binary values to and from raw bytes (the transport does the base64). */
  public interface BinaryMarshaller<T> {
    byte[] toBytes(T value);

    T parseBytes(byte[] serialized);
  }

  /**
   * A typed metadata name. Create keys once and keep them in constants.
   *
   * @param <T> the value type
   */
  public static final class Key<T> {
    private final String name;
    // Exactly one of the two is set, by the factory that matches the name's suffix.
    private final @Nullable AsciiMarshaller<T> ascii;
    private final @Nullable BinaryMarshaller<T> binary;

    private Key(
        String name, @Nullable AsciiMarshaller<T> ascii, @Nullable BinaryMarshaller<T> binary) {
      this.name = name;
      this.ascii = ascii;
      this.binary = binary;
    }

    /**
     * An ASCII key. The name is lowercased and must not end in {@code -bin}.
     *
     * @throws IllegalArgumentException for an illegal or binary name
     */
    public static <T> Key<T> of(String name, AsciiMarshaller<T> marshaller) {
      String n = validateName(name.toLowerCase(java.util.Locale.ROOT));
      if (n.endsWith(BINARY_HEADER_SUFFIX)) {
        throw new IllegalArgumentException(
            "Key " + n + " ends in -bin, so it needs a BinaryMarshaller");
      }
      return new Key<>(n, Objects.requireNonNull(marshaller, "marshaller"), null);
    }

    /**
     * A binary key. The name is lowercased and must end in {@code -bin}.
     *
     * @throws IllegalArgumentException for an illegal or non-binary name
     */
    public static <T> Key<T> of(String name, BinaryMarshaller<T> marshaller) {
      String n = validateName(name.toLowerCase(java.util.Locale.ROOT));
      if (!n.endsWith(BINARY_HEADER_SUFFIX)) {
        throw new IllegalArgumentException(
            "Key " + n + " takes binary values, so its name must end in -bin");
      }
      return new Key<>(n, null, Objects.requireNonNull(marshaller, "marshaller"));
    }

    /** The lowercase header name. */
    public String name() {
      return name;
    }

    public boolean isBinary() {
      return binary != null;
    }

    Object serialize(T value) {
      return binary != null ? binary.toBytes(value) : asciiMarshaller().toAsciiString(value);
    }

    // An ASCII key always has its marshaller: the factories set ascii whenever binary is null.
    private AsciiMarshaller<T> asciiMarshaller() {
      return Objects.requireNonNull(ascii, "ascii marshaller");
    }

    T parse(Object raw) {
      if (binary != null) {
        return binary.parseBytes(
            raw instanceof byte[] b ? b : ((String) raw).getBytes(StandardCharsets.US_ASCII));
      }
      return asciiMarshaller().parseAsciiString((String) raw);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key<?> k && k.name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return "Key{" + name + "}";
    }
  }
}
