package dev.grpcspring;

/**
 * How well a connection protects what travels over it (grpc-go's {@code credentials.SecurityLevel},
 * grpc-java's {@code io.grpc.SecurityLevel}). Levels are ordered: a later one offers everything an
 * earlier one does.
 */
public enum SecurityLevel {
  /** Plaintext: anyone on the path can read and change the traffic. */
  NONE,
  /** The traffic cannot be changed unnoticed, but can be read. */
  INTEGRITY,
  /** The traffic can be neither read nor changed (TLS). */
  PRIVACY_AND_INTEGRITY;

  /** Whether this level offers at least what {@code required} does. */
  public boolean isAtLeast(SecurityLevel required) {
    return compareTo(required) >= 0;
  }
}
