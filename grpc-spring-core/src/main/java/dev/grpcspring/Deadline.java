package dev.grpcspring;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An absolute point in time by which a call must finish, on the monotonic clock
 * ({@link System#nanoTime()}). Immutable and comparable; the earlier deadline is the stricter one.
 */
public final class Deadline implements Comparable<Deadline> {
  // Keeps arithmetic far from overflow: about 292 years either way.
  private static final long MAX_NANOS = TimeUnit.DAYS.toNanos(100L * 365);

  private final long deadlineNanos;

  private Deadline(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
  }

  /** A deadline {@code duration} from now. Negative durations give an already expired deadline. */
  public static Deadline after(long duration, TimeUnit unit) {
    Objects.requireNonNull(unit, "unit");
    long nanos = Math.max(-MAX_NANOS, Math.min(MAX_NANOS, unit.toNanos(duration)));
    return new Deadline(System.nanoTime() + nanos);
  }

  /** A deadline {@code duration} from now. */
  public static Deadline after(java.time.Duration duration) {
    long nanos;
    try {
      nanos = duration.toNanos();
    } catch (ArithmeticException e) {
      nanos = duration.isNegative() ? -MAX_NANOS : MAX_NANOS;
    }
    return after(nanos, TimeUnit.NANOSECONDS);
  }

  /** Whether the deadline has passed. */
  public boolean isExpired() {
    return System.nanoTime() - deadlineNanos >= 0;
  }

  /** Time left, in the unit given; negative once expired. */
  public long timeRemaining(TimeUnit unit) {
    return unit.convert(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  /** Whether this deadline comes before {@code other}. */
  public boolean isBefore(Deadline other) {
    return deadlineNanos - other.deadlineNanos < 0;
  }

  /** The earlier of the two. */
  public Deadline minimum(Deadline other) {
    return isBefore(other) ? this : other;
  }

  /** A deadline shifted by the given amount. */
  public Deadline offset(long offset, TimeUnit unit) {
    return offset == 0 ? this : new Deadline(deadlineNanos + unit.toNanos(offset));
  }

  /** Runs {@code task} on {@code scheduler} when the deadline passes (at once if it has). */
  public ScheduledFuture<?> runOnExpiration(Runnable task, ScheduledExecutorService scheduler) {
    return scheduler.schedule(task, deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  @Override
  public int compareTo(Deadline other) {
    long diff = deadlineNanos - other.deadlineNanos;
    return diff < 0 ? -1 : diff > 0 ? 1 : 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Deadline d && d.deadlineNanos == deadlineNanos;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(deadlineNanos);
  }

  @Override
  public String toString() {
    long rem = timeRemaining(TimeUnit.NANOSECONDS);
    return "Deadline{" + (rem >= 0 ? "in " : "expired ") + Math.abs(rem) / 1_000_000.0 + " ms"
        + (rem >= 0 ? "" : " ago") + "}";
  }
}
