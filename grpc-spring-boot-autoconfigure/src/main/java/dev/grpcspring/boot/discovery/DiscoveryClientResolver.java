package dev.grpcspring.boot.discovery;

import dev.grpcspring.Status;
import dev.grpcspring.resolver.Resolver;
import dev.grpcspring.resolver.ResolverClientConn;
import dev.grpcspring.resolver.ResolverState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * One {@code discovery:///<serviceId>} target being resolved (see {@link
 * DiscoveryClientResolverBuilder}). At most one {@code getInstances} is in flight, on the
 * builder's executor; a request that comes meanwhile runs after it. The channel's scheduler only
 * times the next query. A query reports before it counts as finished, so reports never overtake
 * each other. The lock guards only this bookkeeping and is never held while calling out.
 */
final class DiscoveryClientResolver implements Resolver {
  private static final Log log = LogFactory.getLog(DiscoveryClientResolver.class);
  private static final long INITIAL_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final String serviceId;
  private final DiscoveryClient discoveryClient;
  private final ResolverClientConn clientConn;
  private final Executor executor;
  private final ScheduledExecutorService scheduler;
  private final long refreshNanos;
  private final long minResolveNowNanos;
  private final boolean withServiceConfig;
  private final Consumer<DiscoveryClientResolver> onClose;

  private final Object lock = new Object();
  private boolean closed; // guarded by lock
  private boolean inFlight; // guarded by lock
  private boolean rerun; // guarded by lock: asked again while a query was in flight
  private @Nullable Future<?> timer; // guarded by lock
  private long timerDueNanos; // guarded by lock
  /** Tells a timer that fired from one cancelled while it waited for the lock. */
  private int timerGeneration; // guarded by lock
  private long lastStartNanos; // guarded by lock
  private int failures; // guarded by lock
  /** The last state reported; null before the first and after an error, so that one follows. */
  private @Nullable ResolverState reported; // guarded by lock

  DiscoveryClientResolver(String serviceId, DiscoveryClient discoveryClient,
      ResolverClientConn clientConn, Executor executor, ScheduledExecutorService scheduler,
      long refreshNanos, long minResolveNowNanos, boolean withServiceConfig,
      Consumer<DiscoveryClientResolver> onClose) {
    this.serviceId = serviceId;
    this.discoveryClient = discoveryClient;
    this.clientConn = clientConn;
    this.executor = executor;
    this.scheduler = scheduler;
    this.refreshNanos = refreshNanos;
    this.minResolveNowNanos = minResolveNowNanos;
    this.withServiceConfig = withServiceConfig;
    this.onClose = onClose;
  }

  void start() {
    synchronized (lock) {
      startQueryLocked();
    }
  }

  /** The channel saw a failure: query again, but not more often than the minimum interval. */
  @Override
  public void resolveNow() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (inFlight) {
        rerun = true;
        return;
      }
      long wait = lastStartNanos + minResolveNowNanos - System.nanoTime();
      if (wait <= 0) {
        startQueryLocked();
      } else if (timer == null || timerDueNanos - System.nanoTime() > wait) {
        scheduleLocked(wait);
      }
    }
  }

  /** The registry's view may have changed (a heartbeat): query now, or right after the one in flight. */
  void refresh() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (inFlight) {
        rerun = true;
        return;
      }
      startQueryLocked();
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      cancelTimerLocked();
    }
    onClose.accept(this);
  }

  private void startQueryLocked() {
    cancelTimerLocked();
    inFlight = true;
    rerun = false;
    lastStartNanos = System.nanoTime();
    try {
      executor.execute(this::query);
    } catch (RejectedExecutionException e) {
      // The builder was closed, which the application does when it shuts down.
      inFlight = false;
      closed = true;
      log.debug("Not resolving discovery:///" + serviceId + " any more: the resolver's executor is shut down");
    }
  }

  /** Runs on the executor. */
  private void query() {
    List<ServiceInstance> instances = null;
    RuntimeException error = null;
    try {
      instances = discoveryClient.getInstances(serviceId);
    } catch (RuntimeException e) {
      error = e;
    }
    List<String> skipped = new ArrayList<>();
    ResolverState state = instances == null ? null
        : DiscoveryInstances.toState(serviceId, instances, withServiceConfig, skipped);
    if (state == null && error == null) {
      error = new IllegalStateException("getInstances returned null instead of a list");
    }
    boolean report;
    long retryNanos = 0;
    int kept = 0;
    synchronized (lock) {
      if (closed) {
        inFlight = false;
        return;
      }
      if (state == null) {
        retryNanos = Math.min(MAX_RETRY_NANOS, INITIAL_RETRY_NANOS << Math.min(failures, 5));
        kept = reported == null ? 0 : reported.addresses().size();
        reported = null;
        report = true;
      } else {
        report = !state.equals(reported);
        reported = state;
      }
    }
    // Outside the lock: the channel may ask us to resolve again from inside these.
    if (state == null) {
      log.debug("DiscoveryClient failed to list instances of '" + serviceId + "'", error);
      clientConn.reportError(Status.UNAVAILABLE.withDescription("DiscoveryClient ("
          + discoveryClient.description() + ") failed to list the instances of '" + serviceId
          + "': " + error + "; keeping the last " + kept + " address(es), retrying in "
          + TimeUnit.NANOSECONDS.toMillis(retryNanos) + " ms").withCause(error));
    } else if (report) {
      // With the change only: a misregistered instance would otherwise warn on every refresh.
      skipped.forEach(log::warn);
      if (state.addresses().isEmpty()) {
        log.debug("DiscoveryClient lists no usable instances of '" + serviceId + "'");
      }
      clientConn.updateState(state);
    }
    synchronized (lock) {
      inFlight = false;
      if (closed) {
        return;
      }
      if (error != null) {
        failures++;
        rerun = false; // the registry just failed: the backoff decides when to ask it again
        scheduleLocked(retryNanos);
      } else {
        failures = 0;
        if (rerun) {
          rerun = false;
          scheduleLocked(Math.max(0, lastStartNanos + minResolveNowNanos - System.nanoTime()));
        } else if (refreshNanos > 0) {
          scheduleLocked(refreshNanos);
        }
      }
    }
  }

  private void scheduleLocked(long delayNanos) {
    cancelTimerLocked();
    try {
      timerDueNanos = System.nanoTime() + delayNanos;
      int generation = ++timerGeneration;
      timer = scheduler.schedule(() -> onTimer(generation), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The channel's scheduler is gone, so the channel is closing: nobody waits for us.
      closed = true;
    }
  }

  private void cancelTimerLocked() {
    timerGeneration++;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void onTimer(int generation) {
    synchronized (lock) {
      if (generation != timerGeneration) {
        return;
      }
      timer = null;
      if (closed || inFlight) {
        return;
      }
      startQueryLocked();
    }
  }

  @Override
  public String toString() {
    return "DiscoveryClientResolver{" + serviceId + "}";
  }
}
