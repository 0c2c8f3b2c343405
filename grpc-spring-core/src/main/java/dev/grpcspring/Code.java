package dev.grpcspring;

import org.jspecify.annotations.Nullable;

/**
 * The canonical gRPC status codes, with the numeric values that go on the wire in {@code grpc-status}.
 */
public enum Code {
  OK(0),
  CANCELLED(1),
  UNKNOWN(2),
  INVALID_ARGUMENT(3),
  DEADLINE_EXCEEDED(4),
  NOT_FOUND(5),
  ALREADY_EXISTS(6),
  PERMISSION_DENIED(7),
  RESOURCE_EXHAUSTED(8),
  FAILED_PRECONDITION(9),
  ABORTED(10),
  OUT_OF_RANGE(11),
  UNIMPLEMENTED(12),
  INTERNAL(13),
  UNAVAILABLE(14),
  DATA_LOSS(15),
  UNAUTHENTICATED(16);

  private static final Code[] BY_VALUE = values();

  private final int value;
  private final String wireValue;

  Code(int value) {
    this.value = value;
    this.wireValue = Integer.toString(value);
  }

  /** The numeric value of this code, as sent in {@code grpc-status}. */
  public int value() {
    return value;
  }

  /** The decimal string sent in {@code grpc-status}, cached so the hot path does not format it. */
  public String wireValue() {
    return wireValue;
  }

  /**
   * The code for a numeric value.
   *
   * @return the code, or {@code null} when the value is not one of the canonical codes
   */
  public static @Nullable Code forValue(int value) {
    return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
  }
}
