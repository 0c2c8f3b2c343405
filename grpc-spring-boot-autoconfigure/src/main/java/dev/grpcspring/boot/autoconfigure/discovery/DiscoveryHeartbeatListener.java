package dev.grpcspring.boot.autoconfigure.discovery;

import dev.grpcspring.boot.discovery.DiscoveryClientResolverBuilder;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.client.discovery.event.HeartbeatMonitor;
import org.springframework.cloud.client.discovery.event.ParentHeartbeatEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;

/**
 * Re-queries every {@code discovery:///} target when a registry says its view may have changed: a
 * {@link HeartbeatEvent} (Eureka after a cache refresh, Kubernetes and Consul catalog watches), or
 * a {@link ParentHeartbeatEvent} (the same, relayed from a parent context). A state equal to the
 * last one of its kind changes nothing and is skipped; an event without a state cannot be compared,
 * so it always refreshes.
 */
final class DiscoveryHeartbeatListener implements SmartApplicationListener {
  private final DiscoveryClientResolverBuilder resolvers;
  private final HeartbeatMonitor heartbeats = new HeartbeatMonitor();
  private final HeartbeatMonitor parentHeartbeats = new HeartbeatMonitor();

  DiscoveryHeartbeatListener(DiscoveryClientResolverBuilder resolvers) {
    this.resolvers = resolvers;
  }

  @Override
  public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
    return HeartbeatEvent.class.isAssignableFrom(eventType)
        || ParentHeartbeatEvent.class.isAssignableFrom(eventType);
  }

  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    Object state;
    HeartbeatMonitor monitor;
    if (event instanceof HeartbeatEvent heartbeat) {
      state = heartbeat.getValue();
      monitor = heartbeats;
    } else if (event instanceof ParentHeartbeatEvent parent) {
      state = parent.getValue();
      monitor = parentHeartbeats;
    } else {
      return;
    }
    // HeartbeatMonitor compares-and-sets: events may come from several registry threads.
    if (state == null || monitor.update(state)) {
      resolvers.refresh();
    }
  }
}
