package dev.grpcspring.protocol;

import java.util.concurrent.TimeUnit;

/**
 * The {@code grpc-timeout} header: a positive integer of at most 8 ASCII digits followed by one unit
 * letter ({@code H} hours, {@code M} minutes, {@code S} seconds, {@code m} milliseconds, {@code u}
 * microseconds, {@code n} nanoseconds).
 */
public final class GrpcTimeout {
  /** Largest value that fits in 8 digits. */
  private static final long MAX_VALUE = 99_999_999L;
  private static final long LIMIT = 100_000_000L;

  private GrpcTimeout() {}

  /**
   * Encodes a timeout in the finest unit whose value stays below 10^8, truncating (as grpc-java does)
   * so the peer never waits longer than we would. A timeout of zero or less becomes {@code 1n}: the
   * header has no way to say "already expired", and the smallest value expires at once.
   */
  public static String encode(long timeoutNanos) {
    if (timeoutNanos < 1) {
      return "1n";
    }
    if (timeoutNanos < LIMIT) {
      return timeoutNanos + "n";
    }
    if (timeoutNanos < LIMIT * 1_000L) {
      return timeoutNanos / 1_000L + "u";
    }
    if (timeoutNanos < LIMIT * 1_000_000L) {
      return timeoutNanos / 1_000_000L + "m";
    }
    if (timeoutNanos < LIMIT * 1_000_000_000L) {
      return timeoutNanos / 1_000_000_000L + "S";
    }
    long minutes = timeoutNanos / TimeUnit.MINUTES.toNanos(1);
    if (minutes < LIMIT) {
      return minutes + "M";
    }
    long hours = Math.min(timeoutNanos / TimeUnit.HOURS.toNanos(1), MAX_VALUE);
    return hours + "H";
  }

  /**
   * Decodes a {@code grpc-timeout} value to nanoseconds (saturating at {@link Long#MAX_VALUE}).
   *
   * @throws IllegalArgumentException when the value is not 1 to 8 digits followed by one of
   *     {@code H M S m u n}
   */
  public static long decode(CharSequence value) {
    if (value == null || value.length() < 2 || value.length() > 9) {
      throw new IllegalArgumentException(
          "grpc-timeout '" + value + "' must be 1 to 8 digits followed by a unit (H, M, S, m, u, n)");
    }
    int digits = value.length() - 1;
    long n = 0;
    for (int i = 0; i < digits; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(
            "grpc-timeout '" + value + "' has a non-digit '" + c + "' in its value");
      }
      n = n * 10 + (c - '0');
    }
    char unit = value.charAt(digits);
    TimeUnit timeUnit =
        switch (unit) {
          case 'H' -> TimeUnit.HOURS;
          case 'M' -> TimeUnit.MINUTES;
          case 'S' -> TimeUnit.SECONDS;
          case 'm' -> TimeUnit.MILLISECONDS;
          case 'u' -> TimeUnit.MICROSECONDS;
          case 'n' -> TimeUnit.NANOSECONDS;
          default -> throw new IllegalArgumentException(
              "grpc-timeout '" + value + "' has unknown unit '" + unit
                  + "'; use H, M, S, m, u or n");
        };
    // TimeUnit.toNanos saturates instead of overflowing.
    return timeUnit.toNanos(n);
  }
}
