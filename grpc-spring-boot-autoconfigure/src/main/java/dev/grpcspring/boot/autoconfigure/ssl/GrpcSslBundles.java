package dev.grpcspring.boot.autoconfigure.ssl;

import dev.grpcspring.credentials.ClientAuth;
import dev.grpcspring.credentials.TlsChannelCredentials;
import dev.grpcspring.credentials.TlsProvider;
import dev.grpcspring.credentials.TlsServerCredentials;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * Makes TLS credentials from Spring Boot SSL bundles ({@code spring.ssl.bundle.*}), the only source
 * of key material for the starter. Each credential follows its bundle: when Boot reloads the bundle
 * ({@code reload-on-update}) or it is updated in the {@code SslBundleRegistry}, new connections use
 * the new material and open ones keep theirs; material that cannot be used is logged and the old
 * stays in use.
 */
public final class GrpcSslBundles {
  private static final Log log = LogFactory.getLog(GrpcSslBundles.class);

  private final @Nullable SslBundles bundles;

  /** @param bundles Boot's bundles, or null when the application has no SSL support */
  public GrpcSslBundles(@Nullable SslBundles bundles) {
    this.bundles = bundles;
  }

  /**
   * Server credentials from bundle {@code name}: its key store is the server's key and chain, its
   * trust store what client certificates must chain to.
   *
   * @param property the property that named the bundle, for messages
   */
  public TlsServerCredentials serverCredentials(String name, String property, ClientAuth clientAuth,
      TlsProvider provider) {
    SslBundle bundle = bundle(name, property);
    KeyManagerFactory keys = bundle.getManagers().getKeyManagerFactory();
    TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder(keys)
        .clientAuth(clientAuth).provider(provider)
        .trustManager(bundle.getManagers().getTrustManagerFactory());
    applyOptions(bundle.getOptions(), name, b::protocols, b::ciphers);
    TlsServerCredentials creds = build(b::build, name, property);
    bundles(name, property).addBundleUpdateHandler(name, updated -> update(name, updated,
        creds::updateKeyMaterial));
    return creds;
  }

  /**
   * Channel credentials from bundle {@code name} (its trust store checks the server, its key store,
   * if any, is the client certificate), or with the JDK's trust when {@code name} is null.
   */
  public TlsChannelCredentials channelCredentials(@Nullable String name, String property,
      TlsProvider provider) {
    TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder().provider(provider);
    if (name == null) {
      return build(b::build, "(JDK trust)", property);
    }
    SslBundle bundle = bundle(name, property);
    b.trustManager(bundle.getManagers().getTrustManagerFactory());
    if (bundle.getStores().getKeyStore() != null) {
      b.keyManager(bundle.getManagers().getKeyManagerFactory());
    }
    applyOptions(bundle.getOptions(), name, b::protocols, b::ciphers);
    TlsChannelCredentials creds = build(b::build, name, property);
    bundles(name, property).addBundleUpdateHandler(name, updated -> update(name, updated,
        (keys, trust) -> creds.updateKeyMaterial(
            updated.getStores().getKeyStore() != null ? keys : null, trust)));
    return creds;
  }

  private SslBundles bundles(String name, String property) {
    SslBundles bundles = this.bundles;
    if (bundles == null) {
      throw new IllegalStateException(property + " names SSL bundle '" + name + "', but there are "
          + "no SSL bundles: configure it under spring.ssl.bundle.pem." + name + " or "
          + "spring.ssl.bundle.jks." + name);
    }
    return bundles;
  }

  private SslBundle bundle(String name, String property) {
    SslBundles bundles = bundles(name, property);
    try {
      return bundles.getBundle(name);
    } catch (NoSuchSslBundleException e) {
      throw new IllegalStateException(property + " names SSL bundle '" + name + "', which does "
          + "not exist; known bundles: " + bundles.getBundleNames(), e);
    }
  }

  private static void applyOptions(SslOptions options, String name,
      java.util.function.Consumer<String[]> protocols,
      java.util.function.Consumer<java.util.List<String>> ciphers) {
    if (options == null) {
      return;
    }
    if (options.getEnabledProtocols() != null) {
      protocols.accept(options.getEnabledProtocols());
    }
    if (options.getCiphers() != null) {
      ciphers.accept(Arrays.asList(options.getCiphers()));
    }
  }

  private static <T> T build(java.util.function.Supplier<T> build, String name, String property) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Cannot use SSL bundle '" + name + "' (" + property
          + ") for gRPC: " + e.getMessage(), e);
    }
  }

  /** Swaps in the updated bundle's material; on failure the old material stays in use. */
  private static void update(String name, SslBundle updated, MaterialUpdate apply) {
    try {
      apply.update(updated.getManagers().getKeyManagerFactory(),
          updated.getManagers().getTrustManagerFactory());
      log.info("gRPC TLS material of SSL bundle '" + name + "' reloaded; new connections use it");
    } catch (SSLException | RuntimeException e) {
      log.error("SSL bundle '" + name + "' was updated, but its material cannot be used for gRPC "
          + "TLS; connections keep using the previous material: " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface MaterialUpdate {
    void update(KeyManagerFactory keys, TrustManagerFactory trust) throws SSLException;
  }
}
