package dev.grpcspring.balancer;

import dev.grpcspring.Code;
import dev.grpcspring.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/** Pickers the built-in policies share. */
final class Pickers {
  private Pickers() {}

  /** Every call waits for the next picker (CONNECTING). */
  static final Picker QUEUE = info -> PickResult.withNoResult();

  /** Always this subchannel (READY). */
  static Picker of(SubConn subConn) {
    PickResult result = PickResult.withSubConn(subConn);
    return new Picker() {
      @Override
      public PickResult pick(PickInfo info) {
        return result;
      }

      @Override
      public String toString() {
        return "Picker{" + subConn + "}";
      }
    };
  }

  /** Fail-fast calls fail with {@code error}; wait-for-ready calls wait (TRANSIENT_FAILURE). */
  static Picker error(Status error) {
    PickResult result = PickResult.withError(error);
    return new Picker() {
      @Override
      public PickResult pick(PickInfo info) {
        return result;
      }

      @Override
      public String toString() {
        return "Picker{" + error + "}";
      }
    };
  }

  /**
   * The first pick asks {@code subConn} to connect; every pick waits for the next picker (IDLE).
   * Runs on callers' threads, so it relies on {@link SubConn#connect()} being thread-safe.
   */
  static Picker idle(SubConn subConn) {
    AtomicBoolean connected = new AtomicBoolean();
    return info -> {
      if (connected.compareAndSet(false, true)) {
        subConn.connect();
      }
      return PickResult.withNoResult();
    };
  }

  /**
   * The status fail-fast calls see when connecting failed: UNAVAILABLE, carrying the connection
   * error's description and cause.
   */
  static Status unavailable(@Nullable Status connectionError, String fallbackDescription) {
    if (connectionError == null || connectionError.isOk()) {
      return Status.UNAVAILABLE.withDescription(fallbackDescription);
    }
    if (connectionError.getCode() == Code.UNAVAILABLE) {
      return connectionError;
    }
    String description = connectionError.getDescription();
    return Status.UNAVAILABLE
        .withDescription(
            connectionError.getCode() + (description == null ? "" : ": " + description))
        .withCause(connectionError.getCause());
  }
}
