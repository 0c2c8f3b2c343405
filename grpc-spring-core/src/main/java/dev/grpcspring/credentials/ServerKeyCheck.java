package dev.grpcspring.credentials;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509KeyManager;

/**
 * Checks a server's key material before it is used, so that a bad rotation is refused at once and
 * the previous material stays in use, instead of every later handshake failing: there must be a
 * private key with a certificate chain, and the key must belong to the leaf certificate (a reload
 * that caught the key file of one pair and the certificate of another is the usual cause).
 */
final class ServerKeyCheck {
  private static final List<String> KEY_TYPES = List.of("RSA", "EC", "EdDSA", "Ed25519");
  private static final byte[] PROBE = "grpc-spring key check".getBytes(StandardCharsets.US_ASCII);

  private ServerKeyCheck() {}

  /**
   * @throws SSLException naming what is wrong with the material
   */
  static void check(KeyManagerFactory keys) throws SSLException {
    boolean found = false;
    for (KeyManager km : keys.getKeyManagers()) {
      if (!(km instanceof X509KeyManager x509)) {
        return; // a key manager of another kind: the handshake is the only judge
      }
      for (String type : KEY_TYPES) {
        String[] aliases = x509.getServerAliases(type, null);
        if (aliases == null) {
          continue;
        }
        for (String alias : aliases) {
          PrivateKey key = x509.getPrivateKey(alias);
          X509Certificate[] chain = x509.getCertificateChain(alias);
          if (key != null && chain != null && chain.length > 0) {
            requireMatch(key, chain[0], alias);
            found = true;
          }
        }
      }
    }
    if (!found) {
      throw new SSLException("The key material holds no private key with a certificate chain "
          + "for the server to present");
    }
  }

  private static void requireMatch(PrivateKey key, X509Certificate leaf, String alias)
      throws SSLException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) {
      return; // no probe signature for this key type: the handshake is the only judge
    }
    try {
      Signature sign = Signature.getInstance(algorithm);
      sign.initSign(key);
      sign.update(PROBE);
      byte[] signature = sign.sign();
      Signature verify = Signature.getInstance(algorithm);
      verify.initVerify(leaf.getPublicKey());
      verify.update(PROBE);
      if (verify.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      throw new SSLException("The private key of '" + alias + "' does not belong to its "
          + "certificate " + leaf.getSubjectX500Principal() + ": " + e.getMessage(), e);
    }
    throw new SSLException("The private key of '" + alias + "' does not belong to its "
        + "certificate " + leaf.getSubjectX500Principal() + " (a key and a certificate of "
        + "different pairs?)");
  }
}
