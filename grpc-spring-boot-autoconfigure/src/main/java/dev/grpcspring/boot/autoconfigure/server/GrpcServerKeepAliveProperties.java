package dev.grpcspring.boot.autoconfigure.server;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationUnit;

/**
 * Keepalive and connection management of the gRPC server, {@code grpc.server.keepalive.*}
 * (gRFC A8 and A9).
 */
public class GrpcServerKeepAliveProperties {

  /** Time without reads after which the server sends a keepalive PING to the client. */
  @DurationUnit(ChronoUnit.SECONDS)
  private Duration time = Duration.ofHours(2);

  /** Time a keepalive PING may go unanswered before the server closes the connection. */
  @DurationUnit(ChronoUnit.SECONDS)
  private Duration timeout = Duration.ofSeconds(20);

  private final Permit permit = new Permit();

  private final Connection connection = new Connection();

  public Duration getTime() {
    return time;
  }

  public void setTime(Duration time) {
    this.time = time;
  }

  public Duration getTimeout() {
    return timeout;
  }

  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }

  public Permit getPermit() {
    return permit;
  }

  public Connection getConnection() {
    return connection;
  }

  /** What the server tolerates from clients' keepalive PINGs. */
  public static class Permit {

    /**
     * Shortest interval between client PINGs the server accepts. A client that pings more often
     * gets GOAWAY ENHANCE_YOUR_CALM "too_many_pings" at the third offence; 0 accepts any rate.
     */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration time = Duration.ofMinutes(5);

    /**
     * Whether clients may ping at that interval while they have no call open; otherwise one PING
     * per two hours is accepted then.
     */
    private boolean withoutCalls = false;

    public Duration getTime() {
      return time;
    }

    public void setTime(Duration time) {
      this.time = time;
    }

    public boolean isWithoutCalls() {
      return withoutCalls;
    }

    public void setWithoutCalls(boolean withoutCalls) {
      this.withoutCalls = withoutCalls;
    }
  }

  /** Limits on how long a connection lives. */
  public static class Connection {

    /**
     * Time a connection may have no call open before the server closes it gracefully (GOAWAY
     * "max_idle"). Unlimited when unset.
     */
    @DurationUnit(ChronoUnit.SECONDS)
    private @Nullable Duration maxIdleTime;

    /**
     * Age at which the server closes a connection gracefully (GOAWAY "max_age"), with 10% random
     * jitter either way, so clients reconnect and load balancers can spread them. Unlimited when
     * unset.
     */
    @DurationUnit(ChronoUnit.SECONDS)
    private @Nullable Duration maxAge;

    /**
     * Time the calls of a connection past its maximum age may still run before the server closes
     * it. Unlimited when unset.
     */
    @DurationUnit(ChronoUnit.SECONDS)
    private @Nullable Duration gracePeriod;

    public @Nullable Duration getMaxIdleTime() {
      return maxIdleTime;
    }

    public void setMaxIdleTime(@Nullable Duration maxIdleTime) {
      this.maxIdleTime = maxIdleTime;
    }

    public @Nullable Duration getMaxAge() {
      return maxAge;
    }

    public void setMaxAge(@Nullable Duration maxAge) {
      this.maxAge = maxAge;
    }

    public @Nullable Duration getGracePeriod() {
      return gracePeriod;
    }

    public void setGracePeriod(@Nullable Duration gracePeriod) {
      this.gracePeriod = gracePeriod;
    }
  }

  /** Applies these settings to {@code builder}, rejecting values the server cannot use. */
  void applyTo(dev.grpcspring.server.ServerBuilder builder) {
    builder.keepAliveTime(positive(time, "time"));
    builder.keepAliveTimeout(positive(timeout, "timeout"));
    builder.permitKeepAliveTime(notNegative(permit.getTime(), "permit.time"));
    builder.permitKeepAliveWithoutCalls(permit.isWithoutCalls());
    if (connection.getMaxIdleTime() != null) {
      builder.maxConnectionIdle(positive(connection.getMaxIdleTime(), "connection.max-idle-time"));
    }
    if (connection.getMaxAge() != null) {
      builder.maxConnectionAge(positive(connection.getMaxAge(), "connection.max-age"));
    }
    if (connection.getGracePeriod() != null) {
      builder.maxConnectionAgeGrace(
          notNegative(connection.getGracePeriod(), "connection.grace-period"));
    }
  }

  private static Duration positive(Duration d, String key) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new org.springframework.boot.context.properties.source
          .InvalidConfigurationPropertyValueException("grpc.server.keepalive." + key, d,
              "Set a positive duration.");
    }
    return d;
  }

  private static Duration notNegative(Duration d, String key) {
    if (d == null || d.isNegative()) {
      throw new org.springframework.boot.context.properties.source
          .InvalidConfigurationPropertyValueException("grpc.server.keepalive." + key, d,
              "Set a duration of 0 or more.");
    }
    return d;
  }
}
