package dev.grpcspring.serviceconfig;

import dev.grpcspring.Code;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A method's {@code hedgingPolicy} (gRFC A6).
 *
 * @param maxAttempts attempts including the first, 2 to 5 (larger configured values are capped)
 * @param hedgingDelay the wait between attempts; zero sends them all at once
 * @param nonFatalStatusCodes codes that send the next attempt at once instead of failing the call
 */
public record HedgingPolicy(int maxAttempts, Duration hedgingDelay, Set<Code> nonFatalStatusCodes) {
  public HedgingPolicy {
    Objects.requireNonNull(hedgingDelay, "hedgingDelay");
    nonFatalStatusCodes = Set.copyOf(nonFatalStatusCodes);
  }

  /** A builder for a hedging policy; only {@code maxAttempts} is required, as in the JSON form. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * The fields of a {@code hedgingPolicy}, checked when the {@link ServiceConfig} that holds them
   * is built, by the same rules and with the same messages as {@link ServiceConfig#parse}.
   */
  public static final class Builder {
    @Nullable Long maxAttempts;
    @Nullable Duration hedgingDelay;
    @Nullable Set<Code> nonFatalStatusCodes;

    Builder() {}

    /** Attempts including the first: more than 1; values above 5 are lowered to 5. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = (long) maxAttempts;
      return this;
    }

    /** The wait before each further attempt, not negative; zero (the default) sends all at once. */
    public Builder hedgingDelay(Duration hedgingDelay) {
      this.hedgingDelay = Objects.requireNonNull(hedgingDelay, "hedgingDelay");
      return this;
    }

    /** Codes that send the next attempt at once; any other code ends the call (none by default). */
    public Builder nonFatalStatusCodes(Code... codes) {
      return nonFatalStatusCodes(Arrays.asList(codes));
    }

    /** Codes that send the next attempt at once; any other code ends the call (none by default). */
    public Builder nonFatalStatusCodes(Collection<Code> codes) {
      this.nonFatalStatusCodes = Set.copyOf(codes);
      return this;
    }

    Builder copy() {
      Builder b = new Builder();
      b.maxAttempts = maxAttempts;
      b.hedgingDelay = hedgingDelay;
      b.nonFatalStatusCodes = nonFatalStatusCodes;
      return b;
    }

    /** The policy, or an error naming the field under {@code path}. */
    HedgingPolicy build(String path) {
      int attempts = ServiceConfig.Builder.maxAttempts(path, maxAttempts);
      Duration delay = hedgingDelay == null ? Duration.ZERO : hedgingDelay;
      if (delay.isNegative()) {
        throw InvalidServiceConfigException.at(ServiceConfig.Builder.path(path, "hedgingDelay"),
            "must not be negative, got " + delay);
      }
      return new HedgingPolicy(attempts, delay, nonFatalStatusCodes == null ? Set.of() : nonFatalStatusCodes);
    }
  }
}
