package dev.grpcspring.transport;

import dev.grpcspring.Attributes;
import dev.grpcspring.SecurityLevel;
import dev.grpcspring.channelz.SocketSecurity;
import dev.grpcspring.credentials.TlsChannelCredentials;
import dev.grpcspring.credentials.TlsServerCredentials;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * Puts TLS in front of the HTTP/2 handlers: an {@link SslHandler} from the credentials' current
 * context (so rotated material reaches new connections only), then a {@link TlsHandshakeHandler}
 * that enforces ALPN {@code h2} and holds the HTTP/2 preface back until the handshake is done.
 */
public final class TlsPipeline {
  private static final Logger log = Logger.getLogger(TlsPipeline.class.getName());

  private TlsPipeline() {}

  /** Adds TLS and then {@code http2} to an accepted connection's pipeline. */
  public static void addServerHandlers(Channel ch, TlsServerCredentials credentials,
      Http2Server http2) {
    String provider = credentials.provider().name();
    Consumer<SSLSession> onSession = session -> http2.tlsEstablished(session, provider);
    SslContext context = credentials.sslContext();
    SslHandler ssl = context.newHandler(ch.alloc());
    // The server's handshake timeout (no SETTINGS in time: closed) covers TLS as well.
    ssl.setHandshakeTimeoutMillis(0);
    ch.pipeline().addLast(ssl,
        new TlsHandshakeHandler(ssl, false, String.valueOf(ch.remoteAddress()), onSession),
        http2);
  }

  /**
   * The client pipeline: TLS to {@code host} (SNI and the name the certificate must match), then
   * {@code http2}.
   */
  static ChannelHandler clientInitializer(TlsChannelCredentials credentials, String authority,
      Object address, ChannelHandler http2, Consumer<SSLSession> onSession) {
    String host = credentials.serverNameOverride() != null
        ? credentials.serverNameOverride() : hostOf(authority);
    int port = portOf(authority);
    SslContext context = credentials.sslContext();
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        SslHandler ssl = context.newHandler(ch.alloc(), host, port);
        // The subchannel's connect timeout covers the handshake.
        ssl.setHandshakeTimeoutMillis(0);
        ch.pipeline().addLast(ssl,
            new TlsHandshakeHandler(ssl, true, host + " at " + address, onSession),
            http2);
      }
    };
  }

  /** What a TLS connection adds to its transport attributes. */
  static Attributes withSession(Attributes base, SSLSession session) {
    return base.toBuilder()
        .set(Attributes.SSL_SESSION, session)
        .set(Attributes.SECURITY_LEVEL, SecurityLevel.PRIVACY_AND_INTEGRITY)
        .build();
  }

  /** The session as channelz shows it, or null for plaintext. */
  static @Nullable SocketSecurity security(Attributes attrs, String provider) {
    SSLSession session = attrs.get(Attributes.SSL_SESSION);
    if (session == null) {
      return null;
    }
    byte[] local = leaf(session.getLocalCertificates());
    byte[] remote;
    try {
      remote = leaf(session.getPeerCertificates());
    } catch (SSLPeerUnverifiedException e) {
      remote = null; // an anonymous client (client-auth optional)
    }
    return new SocketSecurity(session.getCipherSuite(), session.getProtocol(), local, remote,
        provider);
  }

  private static byte @Nullable [] leaf(Certificate @Nullable [] chain) {
    if (chain == null || chain.length == 0) {
      return null;
    }
    try {
      return chain[0].getEncoded();
    } catch (CertificateEncodingException e) {
      log.log(Level.FINE, "Cannot encode a certificate for channelz", e);
      return null;
    }
  }

  /** The host of an authority: {@code host}, {@code host:port}, {@code [v6]:port}. */
  static String hostOf(String authority) {
    String a = withoutUserInfo(authority);
    if (a.startsWith("[")) {
      int end = a.indexOf(']');
      return end > 0 ? a.substring(1, end) : a;
    }
    int colon = portColon(a);
    return colon < 0 ? a : a.substring(0, colon);
  }

  /** The port of an authority, or 443 (TLS implementations key their session caches on it). */
  static int portOf(String authority) {
    String a = withoutUserInfo(authority);
    int colon = portColon(a);
    if (colon < 0) {
      return 443;
    }
    try {
      return Integer.parseInt(a.substring(colon + 1));
    } catch (NumberFormatException e) {
      return 443;
    }
  }

  private static String withoutUserInfo(String authority) {
    int at = authority.lastIndexOf('@');
    return at >= 0 ? authority.substring(at + 1) : authority;
  }

  /** Where the port starts, or -1: none, or a bare IPv6 address (several colons, no brackets). */
  private static int portColon(String a) {
    if (a.startsWith("[")) {
      int end = a.indexOf(']');
      return end > 0 && a.length() > end + 1 && a.charAt(end + 1) == ':' ? end + 1 : -1;
    }
    int colon = a.lastIndexOf(':');
    return colon >= 0 && a.indexOf(':') == colon ? colon : -1;
  }
}
