package dev.grpcspring.boot.discovery;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/** A registry a test changes at will, counting queries; it can fail or block them. */
public final class MutableDiscoveryClient implements DiscoveryClient {
  public final AtomicInteger queries = new AtomicInteger();
  public final Map<String, List<ServiceInstance>> instances = new ConcurrentHashMap<>();
  /** Thrown by every query while set. */
  public volatile RuntimeException failure;
  /** Every query waits for it while set. */
  public volatile CountDownLatch gate;
  /** The thread of the last query. */
  public volatile Thread lastThread;

  public static ServiceInstance instance(String id, int port, Map<String, String> metadata) {
    return new DefaultServiceInstance(id, "orders", "127.0.0.1", port, false, metadata);
  }

  public void set(String serviceId, ServiceInstance... list) {
    instances.put(serviceId, List.of(list));
  }

  @Override
  public String description() {
    return "test registry";
  }

  @Override
  public List<ServiceInstance> getInstances(String serviceId) {
    queries.incrementAndGet();
    lastThread = Thread.currentThread();
    CountDownLatch g = gate;
    if (g != null) {
      try {
        g.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
    return instances.getOrDefault(serviceId, List.of());
  }

  @Override
  public List<String> getServices() {
    return List.copyOf(instances.keySet());
  }
}
