package dev.grpcspring.boot.autoconfigure.common;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.convert.DurationUnit;

/**
 * How the server or a channel stops when the application context closes: {@code
 * shutdown.grace-period}.
 */
public class ShutdownProperties {

  /**
   * Time calls still running get to finish once shutdown starts (the server or channel takes no
   * new calls by then); calls still running after it are cancelled. For the server, bounded by
   * spring.lifecycle.timeout-per-shutdown-phase.
   */
  @DurationUnit(ChronoUnit.SECONDS)
  private Duration gracePeriod = Duration.ofSeconds(30);

  public Duration getGracePeriod() {
    return gracePeriod;
  }

  public void setGracePeriod(Duration gracePeriod) {
    this.gracePeriod = gracePeriod;
  }
}
