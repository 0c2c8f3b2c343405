package dev.grpcspring.credentials;

/**
 * Plaintext HTTP/2 with prior knowledge ({@code h2c}); see {@link TransportCredentials#insecure()}
 * and {@link ServerCredentials#insecure()}.
 */
final class InsecureCredentials implements TransportCredentials, ServerCredentials {
  static final InsecureCredentials INSTANCE = new InsecureCredentials();

  private InsecureCredentials() {}

  @Override
  public String securityProtocol() {
    return "insecure";
  }

  @Override
  public boolean isSecure() {
    return false;
  }

  @Override
  public String toString() {
    return "InsecureCredentials";
  }
}
