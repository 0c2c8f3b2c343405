package dev.grpcspring.boot.discovery;

import dev.grpcspring.Attributes;
import dev.grpcspring.resolver.Address;
import dev.grpcspring.resolver.ResolverState;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.ServiceInstance;

/** Turns a service's instances into what a resolver reports (the rules are on the builder). */
final class DiscoveryInstances {
  private DiscoveryInstances() {}

  /**
   * @param withServiceConfig whether to take a service config from instance metadata
   * @param skipped receives why each skipped instance was skipped, for the caller to log (once per
   *     change, not on every query)
   */
  static ResolverState toState(String serviceId, List<ServiceInstance> instances,
      boolean withServiceConfig, List<String> skipped) {
    List<Usable> usable = new ArrayList<>(instances == null ? 0 : instances.size());
    if (instances != null) {
      for (ServiceInstance instance : instances) {
        Usable u = usable(serviceId, instance, skipped);
        if (u != null) {
          usable.add(u);
        }
      }
    }
    // Registries need not return instances in a stable order; a reshuffle is no change.
    usable.sort(Comparator.comparing(Usable::host).thenComparingInt(Usable::port)
        .thenComparing(u -> u.instanceId() == null ? "" : u.instanceId()));
    List<Address> addresses = new ArrayList<>(usable.size());
    Set<String> seen = new HashSet<>();
    String serviceConfig = null;
    for (Usable u : usable) {
      if (!seen.add(u.host() + ":" + u.port())) {
        continue;
      }
      Attributes.Builder attributes = Attributes.newBuilder()
          .set(DiscoveryClientResolverBuilder.SERVICE_ID, serviceId)
          .set(DiscoveryClientResolverBuilder.METADATA, u.metadata());
      if (u.instanceId() != null) {
        attributes.set(DiscoveryClientResolverBuilder.INSTANCE_ID, u.instanceId());
      }
      addresses.add(new Address(
          InetSocketAddress.createUnresolved(u.host(), u.port()), null, attributes.build()));
      String config = u.metadata().get(DiscoveryClientResolverBuilder.GRPC_SERVICE_CONFIG);
      if (withServiceConfig && serviceConfig == null && config != null && !config.isBlank()) {
        serviceConfig = config;
      }
    }
    return new ResolverState(addresses, serviceConfig, null);
  }

  private record Usable(String host, int port, @Nullable String instanceId,
      Map<String, String> metadata) {}

  private static @Nullable Usable usable(String serviceId, ServiceInstance instance, List<String> skipped) {
    if (instance == null) {
      return null;
    }
    Map<String, String> metadata = new TreeMap<>();
    if (instance.getMetadata() != null) {
      instance.getMetadata().forEach((k, v) -> {
        if (k != null && v != null) {
          metadata.put(k, v);
        }
      });
    }
    String host = instance.getHost();
    if (host == null || host.isBlank()) {
      skipped.add("Skipping instance " + instance.getInstanceId() + " of '" + serviceId
          + "' from the DiscoveryClient: it has no host");
      return null;
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String key = metadata.containsKey(DiscoveryClientResolverBuilder.GRPC_PORT)
        ? DiscoveryClientResolverBuilder.GRPC_PORT
        : metadata.containsKey(DiscoveryClientResolverBuilder.GRPC_PORT_LEGACY)
            ? DiscoveryClientResolverBuilder.GRPC_PORT_LEGACY : null;
    int port;
    if (key != null) {
      port = parsePort(metadata.get(key));
      if (port < 0) {
        // Better no address than the instance's HTTP port, which does not speak gRPC.
        skipped.add("Skipping instance " + instance.getInstanceId() + " of '" + serviceId + "' at "
            + host + ": its metadata " + key + "='" + metadata.get(key)
            + "' is not a port (1-65535); fix the metadata the instance registers");
        return null;
      }
    } else {
      port = instance.getPort();
      if (port < 1 || port > 65535) {
        skipped.add("Skipping instance " + instance.getInstanceId() + " of '" + serviceId + "' at "
            + host + ": it has no port (" + port + ") and no " + DiscoveryClientResolverBuilder.GRPC_PORT
            + " metadata; register the gRPC port as metadata " + DiscoveryClientResolverBuilder.GRPC_PORT);
        return null;
      }
    }
    return new Usable(host, port, instance.getInstanceId(), Collections.unmodifiableMap(metadata));
  }

  /** The port in {@code value}, or -1; a key registered with no value is not a port either. */
  private static int parsePort(@Nullable String value) {
    if (value == null) {
      return -1;
    }
    try {
      int port = Integer.parseInt(value.trim());
      return port >= 1 && port <= 65535 ? port : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
