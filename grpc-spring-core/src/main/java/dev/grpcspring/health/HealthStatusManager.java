package dev.grpcspring.health;

import dev.grpcspring.health.v1.HealthCheckResponse;
import dev.grpcspring.health.v1.HealthCheckResponse.ServingStatus;
import dev.grpcspring.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Holds the serving status of each service, and of the server as a whole under the name
 * {@value #SERVICE_NAME_ALL_SERVICES}, and serves it as {@code grpc.health.v1.Health} through
 * {@link #getHealthService()}. The overall status starts as {@code SERVING}; other services have
 * no status until one is set. Thread-safe.
 *
 * <p>When the server shuts down, {@link #enterTerminalState()} turns every status to
 * {@code NOT_SERVING} and ignores later changes, so that load balancers stop sending calls while
 * the calls in flight drain. Register it on the server with
 * {@code ServerBuilder.addShutdownHook(manager::enterTerminalState)}.
 */
public final class HealthStatusManager {
  /** The service name that stands for the whole server. */
  public static final String SERVICE_NAME_ALL_SERVICES = "";

  private static final Logger log = Logger.getLogger(HealthStatusManager.class.getName());

  private final Object lock = new Object();
  private final Map<String, ServingStatus> statuses = new HashMap<>();
  private final Map<String, Set<StreamObserver<HealthCheckResponse>>> watchers = new HashMap<>();
  private boolean terminal;
  private final HealthService service = new HealthService(this);

  /** A manager whose overall status is {@code SERVING}. */
  public HealthStatusManager() {
    statuses.put(SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
  }

  /** The {@code grpc.health.v1.Health} service over this manager's statuses. */
  public HealthService getHealthService() {
    return service;
  }

  /**
   * Sets the status of {@code service} ({@value #SERVICE_NAME_ALL_SERVICES} for the whole server)
   * and tells its watchers when it changed. Ignored after {@link #enterTerminalState()}.
   *
   * @throws IllegalArgumentException for {@code SERVICE_UNKNOWN} or {@code UNRECOGNIZED}, which
   *     are not statuses a service can have
   */
  public void setStatus(String service, ServingStatus status) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(status, "status");
    if (status == ServingStatus.SERVICE_UNKNOWN || status == ServingStatus.UNRECOGNIZED) {
      throw new IllegalArgumentException(status + " is not a status to set; use clearStatus("
          + "service) to forget a service, or UNKNOWN, SERVING or NOT_SERVING");
    }
    synchronized (lock) {
      if (terminal) {
        log.log(Level.FINE, "Ignoring status {0} for ''{1}'': the server is shutting down",
            new Object[] {status, service});
        return;
      }
      update(service, status);
    }
  }

  /**
   * Forgets the status of {@code service}: Check answers NOT_FOUND for it and watchers see
   * {@code SERVICE_UNKNOWN}. Ignored after {@link #enterTerminalState()}.
   */
  public void clearStatus(String service) {
    Objects.requireNonNull(service, "service");
    synchronized (lock) {
      if (!terminal) {
        update(service, null);
      }
    }
  }

  /**
   * Turns every known status to {@code NOT_SERVING} for good: later {@link #setStatus} and
   * {@link #clearStatus} calls are ignored. Call it when the server starts shutting down.
   */
  public void enterTerminalState() {
    synchronized (lock) {
      if (terminal) {
        return;
      }
      terminal = true;
      for (String service : new ArrayList<>(statuses.keySet())) {
        update(service, ServingStatus.NOT_SERVING);
      }
    }
  }

  /** Whether {@link #enterTerminalState()} was called. */
  public boolean isTerminal() {
    synchronized (lock) {
      return terminal;
    }
  }

  /** The status of {@code service}, or null when it has none. */
  public @Nullable ServingStatus getStatus(String service) {
    synchronized (lock) {
      return statuses.get(service);
    }
  }

  /** Every service's status, by name, sorted. */
  public Map<String, ServingStatus> getStatuses() {
    synchronized (lock) {
      return new LinkedHashMap<>(new TreeMap<>(statuses));
    }
  }

  // ---- for HealthService ----

  /**
   * Sends {@code watcher} the current status of {@code service} and adds it to the watchers, in
   * one step, so that it sees no change twice and misses none.
   */
  void addWatcher(String service, StreamObserver<HealthCheckResponse> watcher) {
    synchronized (lock) {
      watchers.computeIfAbsent(service, s -> new LinkedHashSet<>()).add(watcher);
      watcher.onNext(response(statuses.get(service)));
    }
  }

  void removeWatcher(String service, StreamObserver<HealthCheckResponse> watcher) {
    synchronized (lock) {
      Set<StreamObserver<HealthCheckResponse>> set = watchers.get(service);
      if (set != null && set.remove(watcher) && set.isEmpty()) {
        watchers.remove(service);
      }
    }
  }

  /** How many calls watch {@code service}; for tests and diagnostics. */
  int watcherCount(String service) {
    synchronized (lock) {
      Set<StreamObserver<HealthCheckResponse>> set = watchers.get(service);
      return set == null ? 0 : set.size();
    }
  }

  /** The response for a status; null means the service is unknown. */
  static HealthCheckResponse response(@Nullable ServingStatus status) {
    return HealthCheckResponse.newBuilder()
        .setStatus(status == null ? ServingStatus.SERVICE_UNKNOWN : status)
        .build();
  }

  // Watchers are told under the lock: their observers are not thread-safe, and the lock keeps
  // each one's messages in the order of the changes. onNext only queues a write, so it is brief.
  private void update(String service, @Nullable ServingStatus status) {
    ServingStatus previous = status == null ? statuses.remove(service)
        : statuses.put(service, status);
    if (previous == status) {
      return;
    }
    Set<StreamObserver<HealthCheckResponse>> set = watchers.get(service);
    if (set == null) {
      return;
    }
    HealthCheckResponse response = response(status);
    List<StreamObserver<HealthCheckResponse>> gone = new ArrayList<>();
    for (StreamObserver<HealthCheckResponse> watcher : set) {
      try {
        watcher.onNext(response);
      } catch (RuntimeException e) {
        // The call ended under us (its cancel handler removes it too); it gets nothing more.
        log.log(Level.FINE, "Dropping a health watcher of ''" + service + "'' that failed", e);
        gone.add(watcher);
      }
    }
    gone.forEach(set::remove);
    if (set.isEmpty()) {
      watchers.remove(service);
    }
  }
}
