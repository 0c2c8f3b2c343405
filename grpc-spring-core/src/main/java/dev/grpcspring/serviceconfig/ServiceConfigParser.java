package dev.grpcspring.serviceconfig;

import dev.grpcspring.balancer.BalancerRegistry;
import dev.grpcspring.internal.JsonParser;
import java.util.List;

/**
 * Reads the JSON form of {@code grpc.service_config.ServiceConfig} into a {@link
 * ServiceConfig.Builder}. Only JSON types are checked here (a string where a string belongs, a
 * duration like "1.5s"); every rule on the values is the builder's, so parsed and built configs
 * are held to the same rules.
 */
final class ServiceConfigParser {
  private ServiceConfigParser() {}

  static ServiceConfig parse(String json, BalancerRegistry registry) {
    JsonObject root = JsonObject.of(JsonParser.parse(json), "");
    ServiceConfig.Builder b = ServiceConfig.newBuilder();
    List<?> list = root.list("methodConfig");
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        b.methodConfig(methodConfig(JsonObject.of(list.get(i), "methodConfig[" + i + "]")));
      }
    }
    List<?> lb = root.list("loadBalancingConfig");
    if (lb != null) {
      b.loadBalancingConfigs.addAll(lb);
    }
    b.loadBalancingPolicy = root.string("loadBalancingPolicy");
    JsonObject t = root.object("retryThrottling");
    if (t != null) {
      b.retryThrottlingPresent();
      b.maxTokens = t.integer("maxTokens");
      b.tokenRatio = t.number("tokenRatio");
    }
    JsonObject health = root.object("healthCheckConfig");
    if (health != null) {
      // A healthCheckConfig without a name asks for the server's overall health.
      String name = health.string("serviceName");
      b.healthCheckServiceName = name == null ? "" : name;
    }
    return b.build(registry, json);
  }

  private static MethodConfig.Builder methodConfig(JsonObject o) {
    MethodConfig.Builder b = MethodConfig.newBuilder();
    List<?> names = o.list("name");
    if (names != null) {
      for (int i = 0; i < names.size(); i++) {
        JsonObject n = JsonObject.of(names.get(i), o.path("name") + "[" + i + "]");
        b.name(n.string("service"), n.string("method"));
      }
    }
    b.waitForReady = o.bool("waitForReady");
    b.timeout = o.duration("timeout");
    b.maxRequestMessageBytes = o.integer("maxRequestMessageBytes");
    b.maxResponseMessageBytes = o.integer("maxResponseMessageBytes");
    JsonObject retry = o.object("retryPolicy");
    if (retry != null) {
      RetryPolicy.Builder r = RetryPolicy.newBuilder();
      r.maxAttempts = retry.integer("maxAttempts");
      r.initialBackoff = retry.duration("initialBackoff");
      r.maxBackoff = retry.duration("maxBackoff");
      r.backoffMultiplier = retry.number("backoffMultiplier");
      r.retryableStatusCodes = retry.codes("retryableStatusCodes");
      b.retryPolicy = r;
    }
    JsonObject hedging = o.object("hedgingPolicy");
    if (hedging != null) {
      HedgingPolicy.Builder h = HedgingPolicy.newBuilder();
      h.maxAttempts = hedging.integer("maxAttempts");
      h.hedgingDelay = hedging.duration("hedgingDelay");
      h.nonFatalStatusCodes = hedging.codes("nonFatalStatusCodes");
      b.hedgingPolicy = h;
    }
    return b;
  }
}
