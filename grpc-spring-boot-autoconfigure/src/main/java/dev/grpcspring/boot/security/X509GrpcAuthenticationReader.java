package dev.grpcspring.boot.security;

import dev.grpcspring.Attributes;
import dev.grpcspring.Metadata;
import dev.grpcspring.ServerCall;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;

/**
 * The client certificate of a mutual-TLS connection, from the call's
 * {@link Attributes#SSL_SESSION}, as a {@link X509CertificateAuthenticationToken}. A plaintext
 * call, or a TLS client that sent no certificate (client-auth optional), has none.
 */
public class X509GrpcAuthenticationReader implements GrpcAuthenticationReader {

  @Override
  public @Nullable Authentication readAuthentication(ServerCall<?, ?> call, Metadata headers) {
    SSLSession session = call.getAttributes().get(Attributes.SSL_SESSION);
    if (session == null) {
      return null;
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return null; // the documented way a session says the client sent no certificate
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      return null;
    }
    return new X509CertificateAuthenticationToken(leaf);
  }
}
