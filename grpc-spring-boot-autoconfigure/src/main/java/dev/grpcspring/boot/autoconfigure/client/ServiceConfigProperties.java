package dev.grpcspring.boot.autoconfigure.client;

import dev.grpcspring.Code;
import dev.grpcspring.serviceconfig.InvalidServiceConfigException;
import dev.grpcspring.serviceconfig.ServiceConfig;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * The channel's default service config (gRFC A2), written in YAML instead of JSON. It applies when
 * the resolver supplies none. {@link #toServiceConfig} builds the core's typed {@link
 * ServiceConfig} from it directly.
 */
public class ServiceConfigProperties {

  /** Per-method settings; the first entry whose name matches a call applies to it. */
  private List<MethodConfig> method = new ArrayList<>();

  /** Throttling of retries across all calls of the channel, when set. */
  private @Nullable RetryThrottling retryThrottling;

  /**
   * Client-side health checking (gRFC A17), when set: each connected backend is asked for its
   * health over grpc.health.v1.Health/Watch and gets calls only while SERVING. Works with the
   * round_robin load-balancing policy only.
   */
  private @Nullable HealthCheck healthCheck;

  public List<MethodConfig> getMethod() {
    return method;
  }

  public void setMethod(List<MethodConfig> method) {
    this.method = method;
  }

  public @Nullable RetryThrottling getRetryThrottling() {
    return retryThrottling;
  }

  public void setRetryThrottling(@Nullable RetryThrottling retryThrottling) {
    this.retryThrottling = retryThrottling;
  }

  public @Nullable HealthCheck getHealthCheck() {
    return healthCheck;
  }

  public void setHealthCheck(@Nullable HealthCheck healthCheck) {
    this.healthCheck = healthCheck;
  }

  /** Whether nothing is configured here, so that no service config needs to be sent. */
  public boolean isEmpty() {
    return method.isEmpty() && retryThrottling == null && healthCheck == null;
  }

  /**
   * The service config these properties describe, built with the core's typed builder (so it is
   * checked by the same rules as a JSON service config), or {@code null} when neither this nor
   * {@code loadBalancingPolicy} sets anything.
   *
   * @param channelPrefix the channel's property prefix ({@code grpc.client.channel.<name>}), for
   *     naming the property at fault in errors
   * @param loadBalancingPolicy the channel's policy name, or {@code null}
   * @throws InvalidConfigurationPropertyValueException naming the property and its value, when a
   *     value breaks a service-config rule
   * @throws IllegalArgumentException naming the {@code method[i]} entry, when entries conflict
   *     (retry and hedging on one method, a name used twice)
   */
  public @Nullable ServiceConfig toServiceConfig(String channelPrefix,
      @Nullable String loadBalancingPolicy) {
    if (isEmpty() && loadBalancingPolicy == null) {
      return null;
    }
    String prefix = channelPrefix + ".service-config";
    ServiceConfig.Builder config = ServiceConfig.newBuilder();
    if (loadBalancingPolicy != null) {
      config.loadBalancingConfig(loadBalancingPolicy);
    }
    for (int i = 0; i < method.size(); i++) {
      config.methodConfig(method.get(i).toBuilder(prefix + ".method[" + i + "]"));
    }
    if (retryThrottling != null) {
      config.retryThrottling(retryThrottling.maxTokens, retryThrottling.tokenRatio);
    }
    if (healthCheck != null) {
      config.healthCheckServiceName(healthCheck.serviceName == null ? "" : healthCheck.serviceName);
    }
    try {
      return config.build();
    } catch (InvalidServiceConfigException e) {
      throw ServiceConfigPropertyErrors.translate(e, this, channelPrefix, loadBalancingPolicy);
    }
  }

  /** Status codes by name, any case; an unknown name is an error naming its property. */
  static Set<Code> codes(List<String> names, String property) {
    Set<Code> codes = new LinkedHashSet<>();
    if (names == null) {
      return codes;
    }
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      try {
        codes.add(Code.valueOf(name.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationPropertyValueException(property + "[" + i + "]", name,
            "Use a gRPC status code name, such as UNAVAILABLE or RESOURCE_EXHAUSTED.");
      }
    }
    return codes;
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
    private @Nullable Duration timeout;

    /** Whether matching calls wait for a ready connection instead of failing fast. */
    private @Nullable Boolean waitForReady;

    /** Maximum size of one request message of matching calls. */
    @DataSizeUnit(DataUnit.BYTES)
    private @Nullable DataSize maxRequestMessageSize;

    /** Maximum size of one response message of matching calls. */
    @DataSizeUnit(DataUnit.BYTES)
    private @Nullable DataSize maxResponseMessageSize;

    /** Retry policy of matching calls, when set. Not together with {@code hedging}. */
    private @Nullable RetryPolicy retry;

    /** Hedging policy of matching calls, when set. Not together with {@code retry}. */
    private @Nullable HedgingPolicy hedging;

    public List<Name> getName() {
      return name;
    }

    public void setName(List<Name> name) {
      this.name = name;
    }

    public @Nullable Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(@Nullable Duration timeout) {
      this.timeout = timeout;
    }

    public @Nullable Boolean getWaitForReady() {
      return waitForReady;
    }

    public void setWaitForReady(@Nullable Boolean waitForReady) {
      this.waitForReady = waitForReady;
    }

    public @Nullable DataSize getMaxRequestMessageSize() {
      return maxRequestMessageSize;
    }

    public void setMaxRequestMessageSize(@Nullable DataSize maxRequestMessageSize) {
      this.maxRequestMessageSize = maxRequestMessageSize;
    }

    public @Nullable DataSize getMaxResponseMessageSize() {
      return maxResponseMessageSize;
    }

    public void setMaxResponseMessageSize(@Nullable DataSize maxResponseMessageSize) {
      this.maxResponseMessageSize = maxResponseMessageSize;
    }

    public @Nullable RetryPolicy getRetry() {
      return retry;
    }

    public void setRetry(@Nullable RetryPolicy retry) {
      this.retry = retry;
    }

    public @Nullable HedgingPolicy getHedging() {
      return hedging;
    }

    public void setHedging(@Nullable HedgingPolicy hedging) {
      this.hedging = hedging;
    }

    /** The core's builder for this entry; {@code property} is its key, for naming errors. */
    dev.grpcspring.serviceconfig.MethodConfig.Builder toBuilder(String property) {
      var b = dev.grpcspring.serviceconfig.MethodConfig.newBuilder();
      for (Name n : name) {
        b.name(n.service, n.method);
      }
      if (timeout != null) {
        b.timeout(timeout);
      }
      if (waitForReady != null) {
        b.waitForReady(waitForReady);
      }
      if (maxRequestMessageSize != null) {
        b.maxRequestMessageBytes(maxRequestMessageSize.toBytes());
      }
      if (maxResponseMessageSize != null) {
        b.maxResponseMessageBytes(maxResponseMessageSize.toBytes());
      }
      if (retry != null) {
        b.retryPolicy(retry.toBuilder(property + ".retry"));
      }
      if (hedging != null) {
        b.hedgingPolicy(hedging.toBuilder(property + ".hedging"));
      }
      return b;
    }
  }

  /** A service, or one method of it, that a method config applies to. */
  public static class Name {

    /** Fully qualified service name, such as "helloworld.Greeter". Every service when unset. */
    private @Nullable String service;

    /** Method name within the service. Every method of the service when unset. */
    private @Nullable String method;

    public @Nullable String getService() {
      return service;
    }

    public void setService(@Nullable String service) {
      this.service = service;
    }

    public @Nullable String getMethod() {
      return method;
    }

    public void setMethod(@Nullable String method) {
      this.method = method;
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

    dev.grpcspring.serviceconfig.RetryPolicy.Builder toBuilder(String property) {
      var b = dev.grpcspring.serviceconfig.RetryPolicy.newBuilder()
          .maxAttempts(maxAttempts)
          .backoffMultiplier(backoffMultiplier)
          .retryableStatusCodes(codes(retryableStatusCodes, property + ".retryable-status-codes"));
      // Left unset when blank, so that the core reports them as required.
      if (initialBackoff != null) {
        b.initialBackoff(initialBackoff);
      }
      if (maxBackoff != null) {
        b.maxBackoff(maxBackoff);
      }
      return b;
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

    dev.grpcspring.serviceconfig.HedgingPolicy.Builder toBuilder(String property) {
      var b = dev.grpcspring.serviceconfig.HedgingPolicy.newBuilder()
          .maxAttempts(maxAttempts)
          .nonFatalStatusCodes(codes(nonFatalStatusCodes, property + ".non-fatal-status-codes"));
      if (hedgingDelay != null) {
        b.hedgingDelay(hedgingDelay);
      }
      return b;
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
