package dev.grpcspring.serviceconfig;

import dev.grpcspring.Code;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A method's {@code retryPolicy} (gRFC A6).
 *
 * @param maxAttempts attempts including the first, 2 to 5 (larger configured values are capped)
 * @param initialBackoff the base wait before the first retry, positive
 * @param maxBackoff the cap on the wait before any retry, positive
 * @param backoffMultiplier growth of the wait per retry, positive
 * @param retryableStatusCodes the codes that may be retried, never empty
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double backoffMultiplier,
    Set<Code> retryableStatusCodes) {
  /** The client-side cap on attempts (grpc-java and grpc-go default). */
  public static final int MAX_ATTEMPTS_LIMIT = 5;

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    retryableStatusCodes = Set.copyOf(retryableStatusCodes);
  }

  /** A builder for a retry policy; every field is required, as in the JSON form. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * The fields of a {@code retryPolicy}, checked when the {@link ServiceConfig} that holds them is
   * built, by the same rules and with the same messages as {@link ServiceConfig#parse}.
   */
  public static final class Builder {
    @Nullable Long maxAttempts;
    @Nullable Duration initialBackoff;
    @Nullable Duration maxBackoff;
    @Nullable Double backoffMultiplier;
    @Nullable Set<Code> retryableStatusCodes;

    Builder() {}

    /** Attempts including the first: more than 1; values above 5 are lowered to 5. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = (long) maxAttempts;
      return this;
    }

    /** The base wait before the first retry (each wait is random up to the current base): > 0. */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
      return this;
    }

    /** The cap on the base wait: > 0. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
      return this;
    }

    /** How much the base wait grows after each retry: > 0. */
    public Builder backoffMultiplier(double backoffMultiplier) {
      this.backoffMultiplier = backoffMultiplier;
      return this;
    }

    /** The codes that make a failed attempt eligible for a retry: at least one. */
    public Builder retryableStatusCodes(Code... codes) {
      return retryableStatusCodes(Arrays.asList(codes));
    }

    /** The codes that make a failed attempt eligible for a retry: at least one. */
    public Builder retryableStatusCodes(Collection<Code> codes) {
      this.retryableStatusCodes = Set.copyOf(codes);
      return this;
    }

    Builder copy() {
      Builder b = new Builder();
      b.maxAttempts = maxAttempts;
      b.initialBackoff = initialBackoff;
      b.maxBackoff = maxBackoff;
      b.backoffMultiplier = backoffMultiplier;
      b.retryableStatusCodes = retryableStatusCodes;
      return b;
    }

    /** The policy, or an error naming the field under {@code path}. */
    RetryPolicy build(String path) {
      int attempts = ServiceConfig.Builder.maxAttempts(path, maxAttempts);
      Duration initial = positive(path, "initialBackoff", initialBackoff);
      Duration max = positive(path, "maxBackoff", maxBackoff);
      if (backoffMultiplier == null || !(backoffMultiplier > 0)) {
        throw InvalidServiceConfigException.at(ServiceConfig.Builder.path(path, "backoffMultiplier"),
            "is required and must be > 0, got " + backoffMultiplier);
      }
      if (retryableStatusCodes == null || retryableStatusCodes.isEmpty()) {
        throw InvalidServiceConfigException.at(
            ServiceConfig.Builder.path(path, "retryableStatusCodes"), "is required and must not be empty");
      }
      return new RetryPolicy(attempts, initial, max, backoffMultiplier, retryableStatusCodes);
    }

    private static Duration positive(String path, String key, @Nullable Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw InvalidServiceConfigException.at(ServiceConfig.Builder.path(path, key),
            "is required and must be > 0, got " + d);
      }
      return d;
    }
  }
}
