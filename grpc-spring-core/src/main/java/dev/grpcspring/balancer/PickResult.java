package dev.grpcspring.balancer;

import dev.grpcspring.Status;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A picker's answer: use this subchannel, wait for the next picker, fail (fail-fast calls only), or
 * drop (every call).
 */
public final class PickResult {
  private static final PickResult NO_RESULT = new PickResult(null, Status.OK, false);

  private final @Nullable SubConn subConn;
  private final Status status;
  private final boolean drop;

  private PickResult(@Nullable SubConn subConn, Status status, boolean drop) {
    this.subConn = subConn;
    this.status = status;
    this.drop = drop;
  }

  /** Use this subchannel (it should be READY). */
  public static PickResult withSubConn(SubConn subConn) {
    return new PickResult(Objects.requireNonNull(subConn, "subConn"), Status.OK, false);
  }

  /** No subchannel is ready yet: the call waits for the next picker. */
  public static PickResult withNoResult() {
    return NO_RESULT;
  }

  /**
   * Connecting failed: fail-fast calls fail with {@code error} (UNAVAILABLE, carrying the last
   * connection error); wait-for-ready calls keep waiting.
   */
  public static PickResult withError(Status error) {
    if (error.isOk()) {
      throw new IllegalArgumentException("A pick error needs a non-OK status");
    }
    return new PickResult(null, error, false);
  }

  /** Fails the call with {@code status} whatever its wait-for-ready setting. */
  public static PickResult withDrop(Status status) {
    if (status.isOk()) {
      throw new IllegalArgumentException("A drop needs a non-OK status");
    }
    return new PickResult(null, status, true);
  }

  /** The chosen subchannel, or null. */
  public @Nullable SubConn getSubConn() {
    return subConn;
  }

  /** OK, or the error for {@link #withError} and {@link #withDrop}. */
  public Status getStatus() {
    return status;
  }

  public boolean isDrop() {
    return drop;
  }

  @Override
  public String toString() {
    return "PickResult{subConn=" + subConn + ", status=" + status + ", drop=" + drop + "}";
  }
}
