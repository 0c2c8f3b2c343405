package dev.grpcspring.codec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The compressors a side can use, by name, and the {@code grpc-accept-encoding} value that
 * advertises them. Immutable; build one with {@link #newBuilder()} or take the default (identity,
 * gzip, deflate).
 */
public final class CompressorRegistry {
  private static final CompressorRegistry DEFAULT =
      newBuilder().register(Compressor.GZIP).register(Compressor.DEFLATE).build();

  private final Map<String, Compressor> byName;
  private final String acceptEncoding;

  private CompressorRegistry(Map<String, Compressor> byName) {
    this.byName = byName;
    List<String> advertised = new ArrayList<>();
    for (String name : byName.keySet()) {
      // identity is always understood, so it is not advertised (as grpc-java does).
      if (!name.equals(Compressor.IDENTITY.name())) {
        advertised.add(name);
      }
    }
    this.acceptEncoding = String.join(",", advertised);
  }

  /** identity, gzip and deflate. */
  public static CompressorRegistry getDefaultInstance() {
    return DEFAULT;
  }

  /** A builder that starts with identity only. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** The compressor with this name (as in {@code grpc-encoding}), or {@code null}. */
  public @Nullable Compressor lookup(String name) {
    return name == null ? null : byName.get(name);
  }

  /** Every registered compressor, identity included, in registration order. */
  public Collection<Compressor> compressors() {
    return byName.values();
  }

  /**
   * The {@code grpc-accept-encoding} value: the registered names except identity, comma-separated
   * (empty when only identity is registered).
   */
  public String acceptEncoding() {
    return acceptEncoding;
  }

  /**
   * Whether {@code name} appears in a peer's {@code grpc-accept-encoding} value (a comma-separated
   * list, spaces allowed). Identity is always accepted.
   */
  public static boolean isAccepted(@Nullable CharSequence acceptEncodingHeader, String name) {
    if (Compressor.IDENTITY.name().equals(name)) {
      return true;
    }
    if (acceptEncodingHeader == null) {
      return false;
    }
    String header = acceptEncodingHeader.toString();
    int start = 0;
    while (start <= header.length()) {
      int comma = header.indexOf(',', start);
      int end = comma < 0 ? header.length() : comma;
      if (header.substring(start, end).trim().equals(name)) {
        return true;
      }
      if (comma < 0) {
        break;
      }
      start = comma + 1;
    }
    return false;
  }

  @Override
  public String toString() {
    return "CompressorRegistry" + byName.keySet();
  }

  /** Builds a {@link CompressorRegistry}. */
  public static final class Builder {
    private final Map<String, Compressor> byName = new LinkedHashMap<>();

    private Builder() {
      byName.put(Compressor.IDENTITY.name(), Compressor.IDENTITY);
    }

    /** Adds a compressor, replacing any with the same name. */
    public Builder register(Compressor compressor) {
      Objects.requireNonNull(compressor, "compressor");
      String name = compressor.name();
      if (name == null || name.isEmpty() || name.indexOf(',') >= 0) {
        throw new IllegalArgumentException(
            "Compressor name '" + name + "' must be non-empty and contain no ','");
      }
      byName.put(name, compressor);
      return this;
    }

    public CompressorRegistry build() {
      return new CompressorRegistry(new LinkedHashMap<>(byName));
    }
  }
}
