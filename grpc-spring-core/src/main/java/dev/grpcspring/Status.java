package dev.grpcspring;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a call: a {@link Code}, an optional description for people, and an optional local
 * cause that never goes on the wire. Immutable; the {@code with...} methods return new instances.
 */
public final class Status {
  public static final Status OK = new Status(Code.OK, null, null);
  public static final Status CANCELLED = new Status(Code.CANCELLED, null, null);
  public static final Status UNKNOWN = new Status(Code.UNKNOWN, null, null);
  public static final Status INVALID_ARGUMENT = new Status(Code.INVALID_ARGUMENT, null, null);
  public static final Status DEADLINE_EXCEEDED = new Status(Code.DEADLINE_EXCEEDED, null, null);
  public static final Status NOT_FOUND = new Status(Code.NOT_FOUND, null, null);
  public static final Status ALREADY_EXISTS = new Status(Code.ALREADY_EXISTS, null, null);
  public static final Status PERMISSION_DENIED = new Status(Code.PERMISSION_DENIED, null, null);
  public static final Status RESOURCE_EXHAUSTED = new Status(Code.RESOURCE_EXHAUSTED, null, null);
  public static final Status FAILED_PRECONDITION = new Status(Code.FAILED_PRECONDITION, null, null);
  public static final Status ABORTED = new Status(Code.ABORTED, null, null);
  public static final Status OUT_OF_RANGE = new Status(Code.OUT_OF_RANGE, null, null);
  public static final Status UNIMPLEMENTED = new Status(Code.UNIMPLEMENTED, null, null);
  public static final Status INTERNAL = new Status(Code.INTERNAL, null, null);
  public static final Status UNAVAILABLE = new Status(Code.UNAVAILABLE, null, null);
  public static final Status DATA_LOSS = new Status(Code.DATA_LOSS, null, null);
  public static final Status UNAUTHENTICATED = new Status(Code.UNAUTHENTICATED, null, null);

  private static final Status[] BY_CODE = {
    OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS,
    PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE,
    UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED
  };

  private final Code code;
  private final @Nullable String description;
  private final @Nullable Throwable cause;

  private Status(Code code, @Nullable String description, @Nullable Throwable cause) {
    this.code = Objects.requireNonNull(code, "code");
    this.description = description;
    this.cause = cause;
  }

  /** The status with this code and no description. */
  public static Status fromCode(Code code) {
    return BY_CODE[code.value()];
  }

  /**
   * The status for a numeric code received from a peer. An unknown value becomes UNKNOWN with a
   * description that names it, as the gRPC spec asks.
   */
  public static Status fromCodeValue(int value) {
    Code code = Code.forValue(value);
    return code != null ? BY_CODE[value] : UNKNOWN.withDescription("Unknown code " + value);
  }

  /**
   * The status carried by a throwable or its causes: a {@link StatusException}'s status, CANCELLED
   * for a {@link CancellationException}, DEADLINE_EXCEEDED for a {@link TimeoutException}, else
   * UNKNOWN with the throwable as cause (plain UNKNOWN for {@code null}).
   */
  public static Status fromThrowable(@Nullable Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StatusException se) {
        return se.getStatus();
      }
    }
    if (t instanceof CancellationException) {
      return CANCELLED.withDescription(t.getMessage()).withCause(t);
    }
    if (t instanceof TimeoutException) {
      return DEADLINE_EXCEEDED.withDescription(t.getMessage()).withCause(t);
    }
    return UNKNOWN.withCause(t);
  }

  /** The trailers carried by a {@link StatusException} in the chain, or {@code null}. */
  public static @Nullable Metadata trailersFromThrowable(@Nullable Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StatusException se) {
        return se.getTrailers();
      }
    }
    return null;
  }

  public Code getCode() {
    return code;
  }

  /** The description for people, or {@code null}. Sent as {@code grpc-message}. */
  public @Nullable String getDescription() {
    return description;
  }

  /** The local cause, or {@code null}; it is never sent to the peer. */
  public @Nullable Throwable getCause() {
    return cause;
  }

  public boolean isOk() {
    return code == Code.OK;
  }

  public Status withDescription(@Nullable String description) {
    return Objects.equals(this.description, description) ? this : new Status(code, description, cause);
  }

  /** Appends to the description, on a new line, keeping what was there. */
  public Status augmentDescription(@Nullable String additional) {
    if (additional == null) {
      return this;
    }
    return description == null
        ? new Status(code, additional, cause)
        : new Status(code, description + "\n" + additional, cause);
  }

  public Status withCause(@Nullable Throwable cause) {
    return Objects.equals(this.cause, cause) ? this : new Status(code, description, cause);
  }

  /** An exception carrying this status and no trailers. */
  public StatusException asException() {
    return new StatusException(this, null);
  }

  /** An exception carrying this status and the given trailers. */
  public StatusException asException(@Nullable Metadata trailers) {
    return new StatusException(this, trailers);
  }

  /** The exception stubs throw for this status, with no trailers (grpc-java's name). */
  public StatusRuntimeException asRuntimeException() {
    return new StatusRuntimeException(this, null);
  }

  /** The exception stubs throw for this status, with the given trailers (grpc-java's name). */
  public StatusRuntimeException asRuntimeException(@Nullable Metadata trailers) {
    return new StatusRuntimeException(this, trailers);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Status{code=").append(code);
    if (description != null) {
      sb.append(", description=").append(description);
    }
    if (cause != null) {
      sb.append(", cause=").append(cause);
    }
    return sb.append('}').toString();
  }
}
