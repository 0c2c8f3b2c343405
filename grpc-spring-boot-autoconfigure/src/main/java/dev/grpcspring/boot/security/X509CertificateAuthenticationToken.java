package dev.grpcspring.boot.security;

import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A caller identified by the client certificate of its mutual-TLS connection. The TLS handshake
 * already verified the chain against the server's trust; the name is the certificate subject's
 * common name (CN), or the whole subject when it has none.
 */
public class X509CertificateAuthenticationToken extends AbstractAuthenticationToken {

  private final String name;
  private final X509Certificate certificate;

  /** An unchecked token, as a reader returns it. */
  public X509CertificateAuthenticationToken(X509Certificate certificate) {
    super(List.of());
    this.certificate = certificate;
    this.name = commonName(certificate);
  }

  /** A checked token with the caller's authorities. */
  public X509CertificateAuthenticationToken(X509Certificate certificate,
      Collection<? extends GrantedAuthority> authorities) {
    super(authorities);
    this.certificate = certificate;
    this.name = commonName(certificate);
    setAuthenticated(true);
  }

  /** The subject's CN (or the whole subject), also {@link #getName()}. */
  @Override
  public Object getPrincipal() {
    return name;
  }

  /** The client's leaf certificate. */
  @Override
  public X509Certificate getCredentials() {
    return certificate;
  }

  @Override
  public String getName() {
    return name;
  }

  static String commonName(X509Certificate certificate) {
    String subject = certificate.getSubjectX500Principal().getName();
    try {
      for (Rdn rdn : new LdapName(subject).getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType())) {
          return rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      // An RFC 2253 name from the JDK always parses; keep the whole subject if it ever does not.
      return subject;
    }
    return subject;
  }
}
