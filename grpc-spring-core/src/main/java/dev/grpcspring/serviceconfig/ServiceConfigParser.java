package dev.grpcspring.serviceconfig;

import dev.grpcspring.balancer.BalancerBuilder;
import dev.grpcspring.balancer.BalancerRegistry;
import dev.grpcspring.internal.JsonParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads the JSON form of {@code grpc.service_config.ServiceConfig} into a {@link ServiceConfig}. */
final class ServiceConfigParser {
  private ServiceConfigParser() {}

  static ServiceConfig parse(String json, BalancerRegistry registry) {
    JsonObject root = JsonObject.of(JsonParser.parse(json), "");
    List<MethodConfig> methodConfigs = new ArrayList<>();
    Map<String, MethodConfig> byName = new HashMap<>();
    List<?> list = root.list("methodConfig");
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        MethodConfig mc = methodConfig(JsonObject.of(list.get(i), "methodConfig[" + i + "]"));
        if (mc.names().isEmpty()) {
          continue; // the spec skips a method config that names no method
        }
        for (MethodConfig.Name name : mc.names()) {
          String key = ServiceConfig.key(name.service(), name.method());
          if (byName.putIfAbsent(key, mc) != null) {
            throw new IllegalArgumentException(
                "methodConfig[" + i + "] repeats the name " + describe(name)
                    + ", already used by an earlier method config; every name must be unique");
          }
        }
        methodConfigs.add(mc);
      }
    }
    RetryThrottlingPolicy throttling = null;
    JsonObject t = root.object("retryThrottling");
    if (t != null) {
      throttling = RetryThrottlingPolicy.parse(t);
    }
    return new ServiceConfig(json, methodConfigs, byName, loadBalancing(root, registry), throttling,
        healthCheckServiceName(root));
  }

  /** {@code healthCheckConfig.serviceName}: null without a healthCheckConfig, else "" by default. */
  private static String healthCheckServiceName(JsonObject root) {
    JsonObject health = root.object("healthCheckConfig");
    if (health == null) {
      return null;
    }
    String name = health.string("serviceName");
    return name == null ? "" : name;
  }

  /** {@code maxAttempts} of a retry or hedging policy: required, > 1, capped at 5. */
  static int maxAttempts(JsonObject o) {
    Long n = o.integer("maxAttempts");
    if (n == null || n <= 1) {
      throw new IllegalArgumentException(o.path("maxAttempts") + " is required and must be > 1, got " + n);
    }
    return (int) Math.min(n, RetryPolicy.MAX_ATTEMPTS_LIMIT);
  }

  private static MethodConfig methodConfig(JsonObject o) {
    List<MethodConfig.Name> names = new ArrayList<>();
    List<?> nameList = o.list("name");
    if (nameList != null) {
      for (int i = 0; i < nameList.size(); i++) {
        JsonObject n = JsonObject.of(nameList.get(i), o.path("name") + "[" + i + "]");
        String service = n.string("service");
        String method = n.string("method");
        if ((service == null || service.isEmpty()) && method != null && !method.isEmpty()) {
          throw new IllegalArgumentException(
              n.path("method") + " is set ('" + method + "') without a service; a name needs a service to have a method");
        }
        names.add(new MethodConfig.Name(service, method));
      }
    }
    Duration timeout = o.duration("timeout");
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException(o.path("timeout") + " must not be negative, got " + timeout);
    }
    JsonObject retry = o.object("retryPolicy");
    JsonObject hedging = o.object("hedgingPolicy");
    if (retry != null && hedging != null) {
      throw new IllegalArgumentException(
          o.path() + " has both retryPolicy and hedgingPolicy; a method config may have only one"
              + " (gRFC A6): remove one of them");
    }
    return new MethodConfig(
        names,
        o.bool("waitForReady"),
        timeout,
        messageSize(o, "maxRequestMessageBytes"),
        messageSize(o, "maxResponseMessageBytes"),
        retry == null ? null : RetryPolicy.parse(retry),
        hedging == null ? null : HedgingPolicy.parse(hedging));
  }

  private static Integer messageSize(JsonObject o, String key) {
    Long n = o.integer(key);
    if (n == null) {
      return null;
    }
    if (n < 0) {
      throw new IllegalArgumentException(o.path(key) + " must not be negative, got " + n);
    }
    return (int) Math.min(n, Integer.MAX_VALUE);
  }

  private static LoadBalancingConfig loadBalancing(JsonObject root, BalancerRegistry registry) {
    List<?> configs = root.list("loadBalancingConfig");
    if (configs != null && !configs.isEmpty()) {
      List<String> unknown = new ArrayList<>();
      for (int i = 0; i < configs.size(); i++) {
        String path = "loadBalancingConfig[" + i + "]";
        JsonObject entry = JsonObject.of(configs.get(i), path);
        if (entry.raw().size() != 1) {
          throw new IllegalArgumentException(
              path + " must have exactly one field, the policy name; got " + entry.raw().keySet());
        }
        String name = entry.raw().keySet().iterator().next();
        BalancerBuilder builder = registry.get(name);
        if (builder == null) {
          unknown.add(name);
          continue;
        }
        Object value = entry.raw().get(name);
        Map<String, ?> config = value == null ? Map.of() : JsonObject.of(value, path + "." + name).raw();
        try {
          return new LoadBalancingConfig(name, builder.parseConfig(config));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(path + "." + name + ": " + e.getMessage(), e);
        }
      }
      throw new IllegalArgumentException(
          "loadBalancingConfig names no registered policy (found " + unknown + ")");
    }
    String policy = root.string("loadBalancingPolicy");
    if (policy == null) {
      return null;
    }
    String name = policy.toLowerCase(Locale.ROOT);
    BalancerBuilder builder = registry.get(name);
    if (builder == null) {
      throw new IllegalArgumentException("loadBalancingPolicy '" + policy + "' is not a registered policy");
    }
    return new LoadBalancingConfig(name, builder.parseConfig(Map.of()));
  }

  private static String describe(MethodConfig.Name name) {
    return "{service: '" + name.service() + "', method: '" + name.method() + "'}";
  }
}
