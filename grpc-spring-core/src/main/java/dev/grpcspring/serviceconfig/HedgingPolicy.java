package dev.grpcspring.serviceconfig;

import dev.grpcspring.Code;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

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

  static HedgingPolicy parse(JsonObject o) {
    int maxAttempts = ServiceConfigParser.maxAttempts(o);
    Duration delay = o.duration("hedgingDelay");
    if (delay == null) {
      delay = Duration.ZERO;
    } else if (delay.isNegative()) {
      throw new IllegalArgumentException(o.path("hedgingDelay") + " must not be negative, got " + delay);
    }
    Set<Code> codes = o.codes("nonFatalStatusCodes");
    return new HedgingPolicy(maxAttempts, delay, codes == null ? Set.of() : codes);
  }
}
