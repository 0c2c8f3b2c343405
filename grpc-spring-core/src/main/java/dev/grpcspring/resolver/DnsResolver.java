package dev.grpcspring.resolver;

import dev.grpcspring.Attributes;
import dev.grpcspring.Status;
import dev.grpcspring.internal.ExponentialBackoff;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * One {@code dns} target being watched. At most one lookup is in flight; {@code resolveNow()}
 * starts one only when the last started at least {@code minIntervalNanos} ago, else schedules one
 * for then (later requests join it). Results are reported from the channel's scheduler, never
 * from the DNS event loop. The small lock guards only this bookkeeping.
 */
final class DnsResolver implements Resolver {
  private static final Logger log = Logger.getLogger(DnsResolver.class.getName());
  private final String host;
  private final int port;
  private final DnsLookup lookup;
  private final ResolverClientConn clientConn;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanoClock;
  private final long minIntervalNanos;
  private final ExponentialBackoff errorBackoff;
  /** Null when TXT service config is off (the default, or the channel disabled service config). */
  private final @Nullable TxtConfig txtConfig;

  private final Object lock = new Object();
  private boolean closed; // guarded by lock
  private boolean resolving; // guarded by lock
  private boolean rerunRequested; // guarded by lock
  private @Nullable Future<?> timer; // guarded by lock
  private boolean hasStarted; // guarded by lock
  private long lastStartNanos; // guarded by lock
  private int consecutiveFailures; // guarded by lock
  private @Nullable String lastConfig; // guarded by lock: the last good TXT choice, kept when TXT fails

  DnsResolver(
      String host,
      int port,
      DnsLookup lookup,
      ResolverClientConn clientConn,
      ScheduledExecutorService scheduler,
      LongSupplier nanoClock,
      long minIntervalNanos,
      ExponentialBackoff errorBackoff,
      @Nullable TxtConfig txtConfig) {
    this.host = host;
    this.port = port;
    this.lookup = lookup;
    this.clientConn = clientConn;
    this.scheduler = scheduler;
    this.nanoClock = nanoClock;
    this.minIntervalNanos = minIntervalNanos;
    this.errorBackoff = errorBackoff;
    this.txtConfig = txtConfig;
  }

  /**
   * TXT service config settings for one resolver.
   *
   * @param percentile this client's number for {@code percentage} choices, 0 to 99
   * @param hostname this host's name for {@code clientHostname} choices, or null
   */
  record TxtConfig(int percentile, @Nullable String hostname) {}

  /** What a TXT lookup gave: records, or the error. */
  private record TxtResult(@Nullable List<String> records, @Nullable Throwable error) {}

  void start() {
    synchronized (lock) {
      startLookupLocked();
    }
  }

  @Override
  public void resolveNow() {
    synchronized (lock) {
      if (closed || timer != null) {
        return; // a lookup is already scheduled: this request joins it
      }
      if (resolving) {
        rerunRequested = true;
        return;
      }
      long wait = lastStartNanos + minIntervalNanos - nanoClock.getAsLong();
      if (!hasStarted || wait <= 0) {
        startLookupLocked();
      } else {
        scheduleLocked(wait);
      }
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    }
    lookup.close();
  }

  private void startLookupLocked() {
    resolving = true;
    hasStarted = true;
    lastStartNanos = nanoClock.getAsLong();
    CompletableFuture<TxtResult> txt = txtConfig == null
        ? CompletableFuture.completedFuture(null)
        : lookup.resolveTxt(DnsServiceConfig.TXT_PREFIX + host).handle(TxtResult::new).toCompletableFuture();
    lookup.resolveAll(host).whenComplete((addresses, error) -> txt.whenComplete((t, never) -> {
      try {
        scheduler.execute(() -> onLookupDone(addresses, error, t));
      } catch (RejectedExecutionException e) {
        // The channel's scheduler is gone, so the channel is closing: nobody wants the result.
        synchronized (lock) {
          resolving = false;
        }
      }
    }));
  }

  private void scheduleLocked(long delayNanos) {
    timer = scheduler.schedule(this::onTimer, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void onTimer() {
    synchronized (lock) {
      timer = null;
      if (closed || resolving) {
        return;
      }
      startLookupLocked();
    }
  }

  private void onLookupDone(
      @Nullable List<InetAddress> found, @Nullable Throwable error, @Nullable TxtResult txt) {
    Status failure = null;
    List<Address> addresses = null;
    String config = null;
    if (error != null) {
      failure = toStatus(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
    } else if (found == null || found.isEmpty()) {
      failure = Status.UNAVAILABLE.withDescription("DNS found no addresses for '" + host + "'");
    } else {
      addresses = new ArrayList<>(found.size());
      for (InetAddress ip : found) {
        addresses.add(Address.of(new InetSocketAddress(ip, port)));
      }
    }
    synchronized (lock) {
      resolving = false;
      if (closed) {
        return;
      }
      if (failure != null) {
        // Retry on our own with backoff, as grpc-go does, sooner than the 30 s interval.
        long delay = errorBackoff.backoffNanos(consecutiveFailures++);
        rerunRequested = false;
        scheduleLocked(delay);
      } else {
        consecutiveFailures = 0;
        TxtConfig cfg = txtConfig;
        if (txt != null && cfg != null) { // a TXT result comes only when TXT config is on
          lastConfig = chooseConfig(txt, cfg);
        }
        config = lastConfig;
        if (rerunRequested) {
          rerunRequested = false;
          scheduleLocked(Math.max(0, lastStartNanos + minIntervalNanos - nanoClock.getAsLong()));
        }
      }
    }
    // Outside the lock: the channel may call resolveNow() from inside these.
    if (failure != null) {
      clientConn.reportError(failure);
    } else {
      // Addresses are set whenever there is no failure.
      clientConn.updateState(
          new ResolverState(
              Objects.requireNonNull(addresses, "addresses"), config, Attributes.EMPTY));
    }
  }

  /**
   * The config the TXT records choose; no record (or no name) means no config, while a broken
   * record or a failed lookup keeps the last good one, since a DNS hiccup should not drop a
   * working config.
   */
  private @Nullable String chooseConfig(TxtResult txt, TxtConfig txtConfig) {
    Throwable error = txt.error();
    Throwable e = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (e instanceof UnknownHostException) {
      return null;
    }
    if (e != null) {
      log.log(Level.WARNING, "TXT lookup of " + DnsServiceConfig.TXT_PREFIX + host
          + " failed; keeping the previous service config", e);
      return lastConfig;
    }
    try {
      // handle() gives the records whenever it gives no error.
      List<String> records = Objects.requireNonNull(txt.records(), "TXT records");
      return DnsServiceConfig.choose(records, txtConfig.percentile(), txtConfig.hostname());
    } catch (IllegalArgumentException bad) {
      log.log(Level.WARNING, "Ignoring the grpc_config TXT record of " + DnsServiceConfig.TXT_PREFIX + host
          + " (" + bad.getMessage() + "); keeping the previous service config");
      return lastConfig;
    }
  }

  private Status toStatus(Throwable error) {
    String what = error instanceof UnknownHostException ? "no such host" : String.valueOf(error.getMessage());
    return Status.UNAVAILABLE
        .withDescription("DNS resolution of '" + host + "' failed: " + what)
        .withCause(error);
  }

  @Override
  public String toString() {
    return "DnsResolver{" + host + ":" + port + "}";
  }
}
