package dev.grpcspring;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable bag of typed values, keyed by identity: what a transport knows about a connection
 * (addresses, security) and what a resolver says about an address.
 */
public final class Attributes {
  /** No attributes. */
  public static final Attributes EMPTY = new Attributes(Map.of());

  /** The peer's address. */
  public static final Key<java.net.SocketAddress> REMOTE_ADDRESS = Key.create("remote-address");

  /** Our side's address. */
  public static final Key<java.net.SocketAddress> LOCAL_ADDRESS = Key.create("local-address");

  /**
   * The TLS session of the connection (protocol, cipher suite, the peer's certificate chain), set
   * only on TLS connections. {@code getPeerCertificates()} throws {@code SSLPeerUnverifiedException}
   * when the peer sent no certificate (a client without one under client-auth optional).
   */
  public static final Key<javax.net.ssl.SSLSession> SSL_SESSION = Key.create("ssl-session");

  /** How well the connection is protected; absent means {@link SecurityLevel#NONE}. */
  public static final Key<SecurityLevel> SECURITY_LEVEL = Key.create("security-level");

  private final Map<Key<?>, Object> values;

  private Attributes(Map<Key<?>, Object> values) {
    this.values = values;
  }

  /** The value for the key, or null. */
  @SuppressWarnings("unchecked")
  public <T> @Nullable T get(Key<T> key) {
    return (T) values.get(key);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public static Builder newBuilder() {
    return new Builder(EMPTY);
  }

  /** A builder that starts with these attributes. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Equal when both have the same keys with equal values ({@link Object#equals}), as grpc-java's
   * Attributes are: a resolver that builds its addresses afresh on each update must produce equal
   * ones for the same data, or balancers would see every address as new and reconnect.
   */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Attributes a) || a.values.size() != values.size()) {
      return false;
    }
    for (Map.Entry<Key<?>, Object> e : values.entrySet()) {
      // Keys compare by identity in both maps; values by equals (IdentityHashMap.equals uses ==).
      if (!a.values.containsKey(e.getKey()) || !Objects.equals(e.getValue(), a.values.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (Map.Entry<Key<?>, Object> e : values.entrySet()) {
      h += System.identityHashCode(e.getKey()) ^ Objects.hashCode(e.getValue());
    }
    return h;
  }

  @Override
  public String toString() {
    return values.toString();
  }

  /**
   * A key; keys compare by identity.
   *
   * @param <T> the value type
   */
  public static final class Key<T> {
    private final String name;

    private Key(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public static <T> Key<T> create(String name) {
      return new Key<>(name);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Builds {@link Attributes}. */
  public static final class Builder {
    private final Map<Key<?>, Object> values;

    private Builder(Attributes base) {
      values = new IdentityHashMap<>(base.values);
    }

    public <T> Builder set(Key<T> key, @Nullable T value) {
      if (value == null) {
        values.remove(key);
      } else {
        values.put(key, value);
      }
      return this;
    }

    public Attributes build() {
      return values.isEmpty() ? EMPTY : new Attributes(new IdentityHashMap<>(values));
    }
  }
}
