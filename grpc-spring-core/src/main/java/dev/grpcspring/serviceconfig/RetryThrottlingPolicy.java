package dev.grpcspring.serviceconfig;

import org.jspecify.annotations.Nullable;

/**
 * The channel's {@code retryThrottling} (gRFC A6): retries and hedges stop while the token count
 * is at or below half of {@code maxTokens}.
 *
 * @param maxTokens the bucket size, 1 to 1000
 * @param tokenRatio tokens a success adds back, positive, with at most 3 decimals kept
 */
public record RetryThrottlingPolicy(int maxTokens, double tokenRatio) {
  /**
   * The policy from the configured values (null when absent), or an error naming the field under
   * {@code path}; the JSON parser and {@link ServiceConfig.Builder} both come here.
   */
  static RetryThrottlingPolicy of(String path, @Nullable Long maxTokens, @Nullable Double ratio) {
    if (maxTokens == null || maxTokens <= 0 || maxTokens > 1000) {
      throw InvalidServiceConfigException.at(ServiceConfig.Builder.path(path, "maxTokens"),
          "is required and must be in (0, 1000], got " + maxTokens);
    }
    String ratioPath = ServiceConfig.Builder.path(path, "tokenRatio");
    if (ratio == null || !(ratio > 0)) {
      throw InvalidServiceConfigException.at(ratioPath, "is required and must be > 0, got " + ratio);
    }
    // The spec keeps three decimals (grpc-java truncates the same way).
    double kept = Math.floor(ratio * 1000) / 1000;
    if (!(kept > 0)) {
      throw InvalidServiceConfigException.at(ratioPath, "rounds to 0 at three decimals: " + ratio);
    }
    return new RetryThrottlingPolicy(maxTokens.intValue(), kept);
  }
}
