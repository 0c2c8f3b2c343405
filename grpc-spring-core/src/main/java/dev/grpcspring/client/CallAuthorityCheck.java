package dev.grpcspring.client;

import dev.grpcspring.Attributes;
import dev.grpcspring.Status;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * Checks a per-call authority ({@code CallOptions.withAuthority}) against the certificate the
 * server presented on a TLS connection, as grpc-go's {@code AuthorityValidator} does: the
 * connection's handshake verified only the channel's authority, so a call may not claim another
 * name the certificate does not cover. Subject alternative names only (RFC 6125: no common-name
 * fallback); a wildcard covers exactly one left-most label.
 */
final class CallAuthorityCheck {
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private CallAuthorityCheck() {}

  /** Null when the call may use the connection, else the status that fails it. */
  static @Nullable Status check(@Nullable String callAuthority, Attributes transportAttributes) {
    SSLSession session = transportAttributes.get(Attributes.SSL_SESSION);
    if (callAuthority == null || session == null) {
      return null;
    }
    String host = hostOf(callAuthority);
    X509Certificate leaf;
    try {
      Certificate[] chain = session.getPeerCertificates();
      leaf = (X509Certificate) chain[0];
    } catch (SSLPeerUnverifiedException | ClassCastException e) {
      return Status.UNAVAILABLE.withDescription("The call's authority '" + callAuthority
          + "' cannot be checked: the server presented no X.509 certificate").withCause(e);
    }
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          int type = (Integer) san.get(0);
          String value = String.valueOf(san.get(1));
          if (type == SAN_DNS || type == SAN_IP) {
            names.add(value);
            if (matches(host, value, type == SAN_IP)) {
              return null;
            }
          }
        }
      }
    } catch (CertificateParsingException e) {
      return Status.UNAVAILABLE.withDescription("The call's authority '" + callAuthority
          + "' cannot be checked: the server's certificate does not parse: " + e.getMessage())
          .withCause(e);
    }
    return Status.UNAVAILABLE.withDescription("The call's authority '" + callAuthority
        + "' is not valid for the server's certificate on this connection (it names " + names
        + "); a per-call authority must be a name the certificate covers");
  }

  private static boolean matches(String host, String san, boolean ipSan) {
    byte[] hostIp = NetUtil.createByteArrayFromIpAddressString(host);
    if (hostIp != null || ipSan) {
      if (hostIp == null || !ipSan) {
        return false;
      }
      byte[] sanIp = NetUtil.createByteArrayFromIpAddressString(san);
      try {
        return sanIp != null
            && InetAddress.getByAddress(hostIp).equals(InetAddress.getByAddress(sanIp));
      } catch (UnknownHostException e) {
        return false;
      }
    }
    String h = stripDot(host.toLowerCase(Locale.ROOT));
    String s = stripDot(san.toLowerCase(Locale.ROOT));
    if (s.startsWith("*.")) {
      int dot = h.indexOf('.');
      return dot > 0 && h.substring(dot).equals(s.substring(1));
    }
    return h.equals(s);
  }

  private static String stripDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  /** The host of {@code host}, {@code host:port} or {@code [v6]:port}. */
  private static String hostOf(String authority) {
    if (authority.startsWith("[")) {
      int end = authority.indexOf(']');
      return end > 0 ? authority.substring(1, end) : authority;
    }
    int colon = authority.lastIndexOf(':');
    return colon >= 0 && authority.indexOf(':') == colon ? authority.substring(0, colon) : authority;
  }
}
