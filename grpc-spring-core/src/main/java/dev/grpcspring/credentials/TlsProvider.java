package dev.grpcspring.credentials;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which TLS implementation encrypts connections. OpenSSL (BoringSSL through netty-tcnative, when
 * {@code io.netty:netty-tcnative-boringssl-static} is on the class path) costs less CPU than the
 * JDK's; the JDK's needs no native library.
 */
public enum TlsProvider {
  /** OpenSSL when netty-tcnative loads, else the JDK; the default. */
  AUTO,
  /** The JDK's JSSE. */
  JDK,
  /** OpenSSL through netty-tcnative; building credentials fails when it does not load. */
  OPENSSL;

  private static final Logger log = Logger.getLogger(TlsProvider.class.getName());
  /** Each choice is logged once per process, not per connection. */
  private static final java.util.Set<TlsProvider> logged =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * The concrete provider this choice means on this class path ({@link #JDK} or {@link #OPENSSL}).
   *
   * @throws IllegalStateException for {@link #OPENSSL} when netty-tcnative is missing or fails to
   *     load
   */
  public TlsProvider resolve() {
    TlsProvider chosen;
    switch (this) {
      case JDK:
        chosen = JDK;
        break;
      case OPENSSL:
        if (!OpenSsl.isAvailable()) {
          throw new IllegalStateException("TLS provider OPENSSL was asked for, but netty-tcnative "
              + "is not usable: " + OpenSsl.unavailabilityCause() + ". Add "
              + "io.netty:netty-tcnative-boringssl-static to the class path, or choose JDK or AUTO");
        }
        chosen = OPENSSL;
        break;
      default:
        chosen = OpenSsl.isAvailable() && OpenSsl.isAlpnSupported() ? OPENSSL : JDK;
    }
    if (logged.add(this)) {
      log.log(Level.INFO, "gRPC TLS provider {0}: {1} ({2})", new Object[] {this, chosen,
          chosen == OPENSSL ? OpenSsl.versionString() + " through netty-tcnative"
              : "the JDK's JSSE" + (this == AUTO ? "; netty-tcnative is not on the class path or "
                  + "not usable" : "")});
    }
    return chosen;
  }

  SslProvider nettyProvider() {
    // OPENSSL (not OPENSSL_REFCNT): a finalizer frees contexts replaced by rotation.
    return resolve() == OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK;
  }
}
