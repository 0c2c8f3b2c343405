package dev.grpcspring.boot.autoconfigure.client;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * The channel's default service config (gRFC A2), written in YAML instead of JSON. It applies when
 * the resolver supplies none. {@link #toJson(String)} renders the JSON form the channel parses.
 */
public class ServiceConfigProperties {

  /** Per-method settings; the first entry whose name matches a call applies to it. */
  private List<MethodConfig> method = new ArrayList<>();

  /** Throttling of retries across all calls of the channel, when set. */
  private RetryThrottling retryThrottling;

  /**
   * Client-side health checking (gRFC A17), when set: each connected backend is asked for its
   * health over grpc.health.v1.Health/Watch and gets calls only while SERVING. Works with the
   * round_robin load-balancing policy only.
   */
  private HealthCheck healthCheck;

  public List<MethodConfig> getMethod() {
    return method;
  }

  public void setMethod(List<MethodConfig> method) {
    this.method = method;
  }

  public RetryThrottling getRetryThrottling() {
    return retryThrottling;
  }

  public void setRetryThrottling(RetryThrottling retryThrottling) {
    this.retryThrottling = retryThrottling;
  }

  public HealthCheck getHealthCheck() {
    return healthCheck;
  }

  public void setHealthCheck(HealthCheck healthCheck) {
    this.healthCheck = healthCheck;
  }

  /** Whether nothing is configured here, so that no service config needs to be sent. */
  public boolean isEmpty() {
    return method.isEmpty() && retryThrottling == null && healthCheck == null;
  }

  /**
   * The service config as JSON, or {@code null} when neither this nor {@code loadBalancingPolicy}
   * sets anything.
   *
   * @param loadBalancingPolicy the channel's policy name, written as {@code loadBalancingConfig},
   *     or {@code null}
   */
  public String toJson(String loadBalancingPolicy) {
    if (isEmpty() && loadBalancingPolicy == null) {
      return null;
    }
    StringBuilder json = new StringBuilder("{");
    String sep = "";
    if (loadBalancingPolicy != null) {
      json.append("\"loadBalancingConfig\":[{").append(quote(loadBalancingPolicy)).append(":{}}]");
      sep = ",";
    }
    if (!method.isEmpty()) {
      json.append(sep).append("\"methodConfig\":[");
      for (int i = 0; i < method.size(); i++) {
        json.append(i == 0 ? "" : ",");
        method.get(i).appendJson(json);
      }
      json.append(']');
      sep = ",";
    }
    if (retryThrottling != null) {
      json.append(sep).append("\"retryThrottling\":{\"maxTokens\":")
          .append(retryThrottling.maxTokens)
          .append(",\"tokenRatio\":")
          .append(BigDecimal.valueOf(retryThrottling.tokenRatio).toPlainString())
          .append('}');
      sep = ",";
    }
    if (healthCheck != null) {
      String service = healthCheck.serviceName == null ? "" : healthCheck.serviceName;
      json.append(sep).append("\"healthCheckConfig\":{\"serviceName\":").append(quote(service))
          .append('}');
    }
    return json.append('}').toString();
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** A protobuf-JSON duration: seconds with up to nine fraction digits and an "s". */
  static String duration(Duration d) {
    BigDecimal seconds = BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
    return quote(seconds.stripTrailingZeros().toPlainString() + "s");
  }

  /** Settings for the calls of some services or methods. */
  public static class MethodConfig {

    /**
     * Services and methods this entry applies to. An entry with a service and no method applies to
     * every method of that service; an empty entry applies to every call of the channel.
     */
    private List<Name> name = new ArrayList<>();

    /** Deadline of matching calls, unless the call sets an earlier one. */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration timeout;

    /** Whether matching calls wait for a ready connection instead of failing fast. */
    private Boolean waitForReady;

    /** Maximum size of one request message of matching calls. */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize maxRequestMessageSize;

    /** Maximum size of one response message of matching calls. */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize maxResponseMessageSize;

    /** Retry policy of matching calls, when set. Not together with {@code hedging}. */
    private RetryPolicy retry;

    /** Hedging policy of matching calls, when set. Not together with {@code retry}. */
    private HedgingPolicy hedging;

    public List<Name> getName() {
      return name;
    }

    public void setName(List<Name> name) {
      this.name = name;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public Boolean getWaitForReady() {
      return waitForReady;
    }

    public void setWaitForReady(Boolean waitForReady) {
      this.waitForReady = waitForReady;
    }

    public DataSize getMaxRequestMessageSize() {
      return maxRequestMessageSize;
    }

    public void setMaxRequestMessageSize(DataSize maxRequestMessageSize) {
      this.maxRequestMessageSize = maxRequestMessageSize;
    }

    public DataSize getMaxResponseMessageSize() {
      return maxResponseMessageSize;
    }

    public void setMaxResponseMessageSize(DataSize maxResponseMessageSize) {
      this.maxResponseMessageSize = maxResponseMessageSize;
    }

    public RetryPolicy getRetry() {
      return retry;
    }

    public void setRetry(RetryPolicy retry) {
      this.retry = retry;
    }

    public HedgingPolicy getHedging() {
      return hedging;
    }

    public void setHedging(HedgingPolicy hedging) {
      this.hedging = hedging;
    }

    void appendJson(StringBuilder json) {
      json.append("{\"name\":[");
      for (int i = 0; i < name.size(); i++) {
        json.append(i == 0 ? "" : ",");
        name.get(i).appendJson(json);
      }
      json.append(']');
      if (timeout != null) {
        json.append(",\"timeout\":").append(duration(timeout));
      }
      if (waitForReady != null) {
        json.append(",\"waitForReady\":").append(waitForReady);
      }
      if (maxRequestMessageSize != null) {
        json.append(",\"maxRequestMessageBytes\":").append(maxRequestMessageSize.toBytes());
      }
      if (maxResponseMessageSize != null) {
        json.append(",\"maxResponseMessageBytes\":").append(maxResponseMessageSize.toBytes());
      }
      if (retry != null) {
        json.append(",\"retryPolicy\":");
        retry.appendJson(json);
      }
      if (hedging != null) {
        json.append(",\"hedgingPolicy\":");
        hedging.appendJson(json);
      }
      json.append('}');
    }
  }

  /** A service, or one method of it, that a method config applies to. */
  public static class Name {

    /** Fully qualified service name, such as "helloworld.Greeter". Every service when unset. */
    private String service;

    /** Method name within the service. Every method of the service when unset. */
    private String method;

    public String getService() {
      return service;
    }

    public void setService(String service) {
      this.service = service;
    }

    public String getMethod() {
      return method;
    }

    public void setMethod(String method) {
      this.method = method;
    }

    void appendJson(StringBuilder json) {
      json.append('{');
      if (service != null) {
        json.append("\"service\":").append(quote(service));
      }
      if (method != null) {
        json.append(service != null ? "," : "").append("\"method\":").append(quote(method));
      }
      json.append('}');
    }
  }

  /** How failed calls are retried (gRFC A6). */
  public static class RetryPolicy {

    /** Maximum number of attempts, the first one included; at least 2. */
    private int maxAttempts = 2;

    /** Delay before the first retry, randomized between zero and this value. */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration initialBackoff = Duration.ofMillis(100);

    /** Upper bound of the delay between retries. */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration maxBackoff = Duration.ofSeconds(1);

    /** Factor by which the delay grows after each retry. */
    private double backoffMultiplier = 2;

    /** Status codes, such as UNAVAILABLE, that make a call eligible for a retry. */
    private List<String> retryableStatusCodes = new ArrayList<>(List.of("UNAVAILABLE"));

    public int getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public Duration getInitialBackoff() {
      return initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    public Duration getMaxBackoff() {
      return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }

    public double getBackoffMultiplier() {
      return backoffMultiplier;
    }

    public void setBackoffMultiplier(double backoffMultiplier) {
      this.backoffMultiplier = backoffMultiplier;
    }

    public List<String> getRetryableStatusCodes() {
      return retryableStatusCodes;
    }

    public void setRetryableStatusCodes(List<String> retryableStatusCodes) {
      this.retryableStatusCodes = retryableStatusCodes;
    }

    void appendJson(StringBuilder json) {
      json.append("{\"maxAttempts\":").append(maxAttempts)
          .append(",\"initialBackoff\":").append(duration(initialBackoff))
          .append(",\"maxBackoff\":").append(duration(maxBackoff))
          .append(",\"backoffMultiplier\":")
          .append(BigDecimal.valueOf(backoffMultiplier).stripTrailingZeros().toPlainString())
          .append(",\"retryableStatusCodes\":[");
      for (int i = 0; i < retryableStatusCodes.size(); i++) {
        json.append(i == 0 ? "" : ",")
            .append(quote(retryableStatusCodes.get(i).trim().toUpperCase(Locale.ROOT)));
      }
      json.append("]}");
    }
  }

  /**
   * How calls are hedged (gRFC A6): further attempts are sent {@code hedging-delay} apart while
   * none has answered, the first to answer wins, and the others are cancelled.
   */
  public static class HedgingPolicy {

    /** Maximum number of attempts, the first one included; at least 2, more than 5 counts as 5. */
    private int maxAttempts = 2;

    /** Delay between attempts; zero sends them all at once. */
    @DurationUnit(ChronoUnit.MILLIS)
    private Duration hedgingDelay = Duration.ZERO;

    /**
     * Status codes, such as UNAVAILABLE, after which the next attempt goes at once instead of the
     * call failing with them; any other status ends the call.
     */
    private List<String> nonFatalStatusCodes = new ArrayList<>();

    public int getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public Duration getHedgingDelay() {
      return hedgingDelay;
    }

    public void setHedgingDelay(Duration hedgingDelay) {
      this.hedgingDelay = hedgingDelay;
    }

    public List<String> getNonFatalStatusCodes() {
      return nonFatalStatusCodes;
    }

    public void setNonFatalStatusCodes(List<String> nonFatalStatusCodes) {
      this.nonFatalStatusCodes = nonFatalStatusCodes;
    }

    void appendJson(StringBuilder json) {
      json.append("{\"maxAttempts\":").append(maxAttempts)
          .append(",\"hedgingDelay\":").append(duration(hedgingDelay))
          .append(",\"nonFatalStatusCodes\":[");
      for (int i = 0; i < nonFatalStatusCodes.size(); i++) {
        json.append(i == 0 ? "" : ",")
            .append(quote(nonFatalStatusCodes.get(i).trim().toUpperCase(Locale.ROOT)));
      }
      json.append("]}");
    }
  }

  /** Retry throttling (gRFC A6): retries and hedges stop while too many calls fail. */
  public static class RetryThrottling {

    /** Size of the token bucket; retries stop while it holds half or less. */
    private int maxTokens = 10;

    /** Tokens added to the bucket for each successful call. */
    private double tokenRatio = 0.1;

    public int getMaxTokens() {
      return maxTokens;
    }

    public void setMaxTokens(int maxTokens) {
      this.maxTokens = maxTokens;
    }

    public double getTokenRatio() {
      return tokenRatio;
    }

    public void setTokenRatio(double tokenRatio) {
      this.tokenRatio = tokenRatio;
    }
  }

  /** Client-side health checking (gRFC A17). */
  public static class HealthCheck {

    /**
     * Service whose health decides whether a backend gets calls, as registered in the backend's
     * health service (such as "helloworld.Greeter"); empty for the whole server's health.
     */
    private String serviceName = "";

    public String getServiceName() {
      return serviceName;
    }

    public void setServiceName(String serviceName) {
      this.serviceName = serviceName;
    }
  }
}
