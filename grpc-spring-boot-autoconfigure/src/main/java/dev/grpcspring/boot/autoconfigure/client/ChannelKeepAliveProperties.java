package dev.grpcspring.boot.autoconfigure.client;

import dev.grpcspring.client.DialOptions;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DurationUnit;

/** Client keepalive of one channel, {@code grpc.client.channel.<name>.keepalive.*} (gRFC A8). */
public class ChannelKeepAliveProperties {

  /**
   * Time without reads after which the channel sends a keepalive PING; at least 10s (shorter is
   * raised). Off when unset. Servers limit how often clients may ping (5 minutes by default in
   * grpc-java and grpc-go), and a channel told "too_many_pings" doubles its time.
   */
  @DurationUnit(ChronoUnit.SECONDS)
  private @Nullable Duration time;

  /**
   * Time a keepalive PING may go unanswered before the connection is closed and its calls fail
   * with UNAVAILABLE. 20s when unset.
   */
  @DurationUnit(ChronoUnit.SECONDS)
  private @Nullable Duration timeout;

  /** Whether keepalive PINGs are sent while no call is open. False when unset. */
  private @Nullable Boolean withoutCalls;

  public @Nullable Duration getTime() {
    return time;
  }

  public void setTime(@Nullable Duration time) {
    this.time = time;
  }

  public @Nullable Duration getTimeout() {
    return timeout;
  }

  public void setTimeout(@Nullable Duration timeout) {
    this.timeout = timeout;
  }

  public @Nullable Boolean getWithoutCalls() {
    return withoutCalls;
  }

  public void setWithoutCalls(@Nullable Boolean withoutCalls) {
    this.withoutCalls = withoutCalls;
  }

  /** Applies the keys that are set to {@code options}; {@code name} is the channel's. */
  void applyTo(DialOptions.Builder options, String name) {
    if (time != null) {
      options.keepAliveTime(positive(time, name, "time"));
    }
    if (timeout != null) {
      options.keepAliveTimeout(positive(timeout, name, "timeout"));
    }
    if (withoutCalls != null) {
      options.keepAliveWithoutCalls(withoutCalls);
    }
  }

  private static Duration positive(Duration d, String name, String key) {
    if (d.isNegative() || d.isZero()) {
      throw new InvalidConfigurationPropertyValueException(
          "grpc.client.channel." + name + ".keepalive." + key, d, "Set a positive duration.");
    }
    return d;
  }
}
