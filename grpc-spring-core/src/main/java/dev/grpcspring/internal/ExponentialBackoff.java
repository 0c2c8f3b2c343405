package dev.grpcspring.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Connection backoff per gRPC's connection-backoff spec (grpc-go's {@code backoff.Exponential}):
 * the first wait is {@code initialBackoff}; each later one is the previous one times {@code
 * multiplier}, capped at {@code maxBackoff}, then spread by a uniform random factor in {@code [1 -
 * jitter, 1 + jitter)}. Each connection attempt gets {@code max(backoff, minConnectTimeout)} to
 * complete.
 *
 * <p>Stateless and thread-safe: the caller (a subchannel) counts its consecutive failed rounds and
 * resets the count when a connection receives its first SETTINGS frame.
 */
public final class ExponentialBackoff {
  /** Spec defaults: 1 s, x1.6, ±20%, at most 120 s, connect attempts get at least 20 s. */
  public static final ExponentialBackoff DEFAULT = newBuilder().build();

  private final long initialNanos;
  private final double multiplier;
  private final double jitter;
  private final long maxNanos;
  private final long minConnectTimeoutNanos;
  private final DoubleSupplier random;

  private ExponentialBackoff(Builder b) {
    this.initialNanos = b.initialBackoff.toNanos();
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
    this.maxNanos = b.maxBackoff.toNanos();
    this.minConnectTimeoutNanos = b.minConnectTimeout.toNanos();
    this.random = b.random;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** A builder starting from this one's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.initialBackoff = Duration.ofNanos(initialNanos);
    b.multiplier = multiplier;
    b.jitter = jitter;
    b.maxBackoff = Duration.ofNanos(maxNanos);
    b.minConnectTimeout = Duration.ofNanos(minConnectTimeoutNanos);
    b.random = random;
    return b;
  }

  /**
   * How long to wait before the next connection round.
   *
   * @param retries how many rounds have failed in a row before this one (0 for the first wait)
   * @return the wait in nanoseconds, never negative
   */
  public long backoffNanos(int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0, got " + retries);
    }
    if (retries == 0) {
      return initialNanos;
    }
    double backoff = initialNanos;
    for (int i = 0; i < retries && backoff < maxNanos; i++) {
      backoff *= multiplier;
    }
    backoff = Math.min(backoff, maxNanos);
    backoff *= 1 + jitter * (random.getAsDouble() * 2 - 1);
    return Math.max(0, (long) backoff);
  }

  /** {@link #backoffNanos} as a Duration. */
  public Duration backoff(int retries) {
    return Duration.ofNanos(backoffNanos(retries));
  }

  /** How long one connection attempt may take when the current backoff is {@code backoffNanos}. */
  public long connectTimeoutNanos(long backoffNanos) {
    return Math.max(backoffNanos, minConnectTimeoutNanos);
  }

  public Duration initialBackoff() {
    return Duration.ofNanos(initialNanos);
  }

  public double multiplier() {
    return multiplier;
  }

  public double jitter() {
    return jitter;
  }

  public Duration maxBackoff() {
    return Duration.ofNanos(maxNanos);
  }

  public Duration minConnectTimeout() {
    return Duration.ofNanos(minConnectTimeoutNanos);
  }

  @Override
  public String toString() {
    return "ExponentialBackoff{initial="
        + initialBackoff()
        + ", multiplier="
        + multiplier
        + ", jitter="
        + jitter
        + ", max="
        + maxBackoff()
        + ", minConnectTimeout="
        + minConnectTimeout()
        + "}";
  }

  /** Settings for {@link ExponentialBackoff}; every one defaults to the spec's value. */
  public static final class Builder {
    private Duration initialBackoff = Duration.ofSeconds(1);
    private double multiplier = 1.6;
    private double jitter = 0.2;
    private Duration maxBackoff = Duration.ofSeconds(120);
    private Duration minConnectTimeout = Duration.ofSeconds(20);
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    private Builder() {}

    /** The first wait (spec INITIAL_BACKOFF, 1 s); must be positive. */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = positive(initialBackoff, "initialBackoff");
      return this;
    }

    /** The growth factor between rounds (spec MULTIPLIER, 1.6); must be at least 1. */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException("multiplier must be a finite number >= 1, got " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    /** The relative random spread (spec JITTER, 0.2); in [0, 1]. */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0.0 && jitter <= 1.0)) {
        throw new IllegalArgumentException("jitter must be in [0, 1], got " + jitter);
      }
      this.jitter = jitter;
      return this;
    }

    /** The cap before jitter (spec MAX_BACKOFF, 120 s); must be positive. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = positive(maxBackoff, "maxBackoff");
      return this;
    }

    /** The least time one connection attempt gets (spec MIN_CONNECT_TIMEOUT, 20 s). */
    public Builder minConnectTimeout(Duration minConnectTimeout) {
      this.minConnectTimeout = positive(minConnectTimeout, "minConnectTimeout");
      return this;
    }

    /** The source of uniform numbers in [0, 1); tests pass a fixed one. */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds it.
     *
     * @throws IllegalArgumentException when maxBackoff is smaller than initialBackoff
     */
    public ExponentialBackoff build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "maxBackoff (" + maxBackoff + ") must not be less than initialBackoff (" + initialBackoff + ")");
      }
      return new ExponentialBackoff(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }
  }
}
