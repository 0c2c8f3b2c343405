package dev.grpcspring.credentials;

import io.netty.handler.ssl.SslContext;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The key and trust material of a TLS credential and the context made from them, replaced as one
 * when the material changes, so a new connection never sees new keys with an old context.
 */
final class TlsMaterial {

  /** Makes the TLS context for one side (client or server) from the material. */
  @FunctionalInterface
  interface ContextFactory {
    SslContext newContext(@Nullable KeyManagerFactory keys, @Nullable TrustManagerFactory trust)
        throws SSLException;
  }

  private record State(
      @Nullable KeyManagerFactory keys, @Nullable TrustManagerFactory trust, SslContext context) {}

  private final ContextFactory factory;
  // Written under this object's lock; read without it by each new connection.
  private volatile State state;

  TlsMaterial(
      @Nullable KeyManagerFactory keys, @Nullable TrustManagerFactory trust, ContextFactory factory)
      throws SSLException {
    this.factory = factory;
    this.state = new State(keys, trust, factory.newContext(keys, trust));
  }

  SslContext context() {
    return state.context();
  }

  @Nullable KeyManagerFactory keyManager() {
    return state.keys();
  }

  @Nullable TrustManagerFactory trustManager() {
    return state.trust();
  }

  /**
   * Builds a context from the new material (a null argument keeps that kind) and switches to it;
   * if no context can be built, nothing changes.
   */
  synchronized void update(@Nullable KeyManagerFactory keys, @Nullable TrustManagerFactory trust)
      throws SSLException {
    State current = state;
    KeyManagerFactory k = keys != null ? keys : current.keys();
    TrustManagerFactory t = trust != null ? trust : current.trust();
    state = new State(k, t, factory.newContext(k, t));
  }
}
