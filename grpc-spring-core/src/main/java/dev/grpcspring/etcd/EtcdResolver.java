package dev.grpcspring.etcd;

import com.google.protobuf.ByteString;
import dev.grpcspring.Attributes;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.etcd.v3.Event;
import dev.grpcspring.etcd.v3.KeyValue;
import dev.grpcspring.etcd.v3.RangeRequest;
import dev.grpcspring.etcd.v3.RangeResponse;
import dev.grpcspring.etcd.v3.WatchCreateRequest;
import dev.grpcspring.etcd.v3.WatchRequest;
import dev.grpcspring.etcd.v3.WatchResponse;
import dev.grpcspring.internal.ExponentialBackoff;
import dev.grpcspring.resolver.Address;
import dev.grpcspring.resolver.HostPort;
import dev.grpcspring.resolver.Resolver;
import dev.grpcspring.resolver.ResolverClientConn;
import dev.grpcspring.resolver.ResolverState;
import dev.grpcspring.stub.ClientCallStreamObserver;
import dev.grpcspring.stub.ClientResponseObserver;
import dev.grpcspring.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Watches one key prefix in etcd (see {@link EtcdResolverBuilder}): Range the prefix, report,
 * Watch from the next revision, apply each response's events and report once per response. A lost
 * stream is resumed from the revision after the last one seen, so the changes made meanwhile
 * arrive as events; if etcd compacted that revision away, the prefix is listed again and the map
 * replaced. Failures are reported as resolver errors (the channel keeps its addresses) and retried
 * with backoff. Callbacks arrive on the etcd
 * channel's threads and timers on the channel's scheduler; one lock guards the state, and each
 * attempt has a generation so that a late callback of an abandoned one is dropped.
 */
final class EtcdResolver implements Resolver {
  private static final Logger log = Logger.getLogger(EtcdResolver.class.getName());
  /** resolveNow() brings a pending retry forward only when the last attempt is this old. */
  static final long MIN_RESOLVE_NOW_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final EtcdClient client;
  private final String prefix;
  private final ByteString prefixKey;
  private final ByteString prefixEnd;
  private final ResolverClientConn clientConn;
  private final ScheduledExecutorService scheduler;
  private final ExponentialBackoff backoff;
  private final int defaultPort;

  private final Object lock = new Object();
  private boolean closed; // guarded by lock
  private int generation; // guarded by lock
  /** key → endpoint, sorted by key so that the reported order is stable. */
  private final Map<String, Address> byKey = new TreeMap<>(); // guarded by lock
  private @Nullable List<Address> reported; // guarded by lock
  private @Nullable ClientCallStreamObserver<WatchRequest> watchCall; // guarded by lock
  private boolean watching; // guarded by lock: the watch was created and has not failed
  private boolean attemptInFlight; // guarded by lock
  private @Nullable Future<?> retryTimer; // guarded by lock
  private int failures; // guarded by lock
  private long lastAttemptNanos; // guarded by lock
  /** The first revision not yet seen; 0 until the first listing. */
  private long nextRevision; // guarded by lock

  EtcdResolver(EtcdClient client, String prefix, ResolverClientConn clientConn,
      ScheduledExecutorService scheduler, ExponentialBackoff backoff, int defaultPort) {
    this.client = client;
    this.prefix = prefix;
    this.prefixKey = ByteString.copyFromUtf8(prefix);
    this.prefixEnd = EtcdClient.prefixEnd(prefixKey);
    this.clientConn = clientConn;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.defaultPort = defaultPort;
  }

  void start() {
    synchronized (lock) {
      listLocked();
    }
  }

  /** No-op while the watch is healthy (it sees every change); while down, retries sooner. */
  @Override
  public void resolveNow() {
    synchronized (lock) {
      if (closed || watching || attemptInFlight || retryTimer == null
          || System.nanoTime() - lastAttemptNanos < MIN_RESOLVE_NOW_INTERVAL_NANOS) {
        return;
      }
      retryTimer.cancel(false);
      retryTimer = null;
      client.channel().resetConnectBackoff();
      resumeLocked();
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      generation++;
      if (retryTimer != null) {
        retryTimer.cancel(false);
        retryTimer = null;
      }
      cancelWatchLocked("the etcd resolver for '" + prefix + "' was closed");
    }
  }

  private void listLocked() {
    int gen = ++generation;
    attemptInFlight = true;
    lastAttemptNanos = System.nanoTime();
    RangeRequest request = RangeRequest.newBuilder().setKey(prefixKey).setRangeEnd(prefixEnd).build();
    client.kvFuture().range(request).whenComplete((response, error) -> onListed(gen, response, error));
  }

  private void onListed(int gen, RangeResponse response, Throwable error) {
    synchronized (lock) {
      if (closed || gen != generation) {
        return;
      }
      if (error != null) {
        failLocked("listing the prefix failed", error);
        return;
      }
      byKey.clear();
      for (KeyValue kv : response.getKvsList()) {
        put(kv);
      }
      reportLocked();
      nextRevision = response.getHeader().getRevision() + 1;
      startWatchLocked(gen, nextRevision);
    }
  }

  /** Watches again from where the last watch stopped, or lists when nothing was listed yet. */
  private void resumeLocked() {
    if (nextRevision == 0) {
      listLocked();
      return;
    }
    int gen = ++generation;
    attemptInFlight = true;
    lastAttemptNanos = System.nanoTime();
    startWatchLocked(gen, nextRevision);
  }

  private void startWatchLocked(int gen, long fromRevision) {
    WatchRequest create = WatchRequest.newBuilder()
        .setCreateRequest(WatchCreateRequest.newBuilder()
            .setKey(prefixKey)
            .setRangeEnd(prefixEnd)
            .setStartRevision(fromRevision)
            // Idle watches get a response now and then (10 min by default in etcd 3.4).
            .setProgressNotify(true))
        .build();
    StreamObserver<WatchRequest> requests = client.watch().watch(
        new ClientResponseObserver<WatchRequest, WatchResponse>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
            watchCall = requestStream; // runs inside watch(), under our lock
          }

          @Override
          public void onNext(WatchResponse value) {
            onWatchResponse(gen, value);
          }

          @Override
          public void onError(Throwable t) {
            onWatchEnded(gen, t);
          }

          @Override
          public void onCompleted() {
            onWatchEnded(gen, null);
          }
        });
    requests.onNext(create);
  }

  private void onWatchResponse(int gen, WatchResponse response) {
    synchronized (lock) {
      if (closed || gen != generation) {
        return;
      }
      if (response.getCanceled()) {
        if (response.getCompactRevision() > 0) {
          // Changes we have not seen were compacted away: only a fresh listing is complete.
          log.log(Level.FINE, "etcd compacted prefix {0} past our revision (compact revision {1}); listing again",
              new Object[] {prefix, response.getCompactRevision()});
          cancelWatchLocked("etcd compacted the watched revision");
          watching = false;
          failures = 0;
          listLocked();
        } else {
          failLocked("etcd cancelled the watch" + (response.getCancelReason().isEmpty()
              ? "" : " (" + response.getCancelReason() + ")"), null);
        }
        return;
      }
      if (response.getCreated()) {
        watching = true;
        attemptInFlight = false;
        failures = 0;
      }
      if (response.getEventsCount() > 0) {
        for (Event event : response.getEventsList()) {
          if (event.getType() == Event.EventType.DELETE) {
            byKey.remove(event.getKv().getKey().toStringUtf8());
          } else {
            put(event.getKv());
          }
        }
        nextRevision = response.getEvents(response.getEventsCount() - 1).getKv().getModRevision() + 1;
        reportLocked();
      } else if (!response.getCreated()) {
        // A progress notification: nothing in our range changed up to the header's revision.
        nextRevision = Math.max(nextRevision, response.getHeader().getRevision() + 1);
      }
    }
  }

  private void onWatchEnded(int gen, @Nullable Throwable error) {
    synchronized (lock) {
      if (closed || gen != generation) {
        return;
      }
      watchCall = null;
      failLocked("the watch stream ended", error);
    }
  }

  /** Decodes one key; a bad value removes the key (it names no endpoint any more). */
  private void put(KeyValue kv) {
    String key = kv.getKey().toStringUtf8();
    String value = kv.getValue().toStringUtf8();
    try {
      EtcdEndpoint endpoint = EtcdEndpoint.parse(value);
      Attributes attributes = Attributes.newBuilder()
          .set(EtcdResolverBuilder.KEY, key)
          .set(EtcdResolverBuilder.METADATA, endpoint.metadata())
          .build();
      byKey.put(key, new Address(HostPort.parse(endpoint.addr(), defaultPort), null, attributes));
    } catch (IllegalArgumentException e) {
      byKey.remove(key);
      log.log(Level.WARNING, "Skipping etcd key {0}: {1} (value {2}); write {\"Addr\":\"host:port\"}",
          new Object[] {key, e.getMessage(), abbreviate(value)});
    }
  }

  /** Reports the addresses, one per distinct host:port, when they changed. */
  private void reportLocked() {
    List<Address> addresses = new ArrayList<>(byKey.size());
    Set<Object> seen = new HashSet<>();
    for (Address a : byKey.values()) {
      if (seen.add(a.socketAddress())) {
        addresses.add(a);
      }
    }
    if (addresses.equals(reported)) {
      return;
    }
    reported = addresses;
    clientConn.updateState(ResolverState.of(addresses));
  }

  private void failLocked(String what, @Nullable Throwable error) {
    watching = false;
    attemptInFlight = false;
    generation++;
    cancelWatchLocked("the etcd resolver is starting over");
    Status cause = error == null ? null : statusOf(error);
    if (cause != null) {
      client.onCallFailed(cause);
    }
    long delay = backoff.backoffNanos(failures++);
    String detail = cause == null ? "" : ": " + cause.getCode() + " " + cause.getDescription();
    int kept = reported == null ? 0 : reported.size();
    clientConn.reportError(Status.UNAVAILABLE.withDescription(
        "etcd resolver for prefix '" + prefix + "' at " + client.endpoints() + ": " + what + detail
            + "; keeping the last " + kept + " address(es), retrying in "
            + TimeUnit.NANOSECONDS.toMillis(delay) + " ms").withCause(error));
    try {
      retryTimer = scheduler.schedule(this::onRetryTimer, delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The channel's scheduler is gone, so the channel is closing: nobody waits for us.
      closed = true;
    }
  }

  private void onRetryTimer() {
    synchronized (lock) {
      retryTimer = null;
      if (closed) {
        return;
      }
      // Our backoff paces the retries; the etcd channel's own would add to it.
      client.channel().resetConnectBackoff();
      resumeLocked();
    }
  }

  private void cancelWatchLocked(String why) {
    ClientCallStreamObserver<WatchRequest> call = watchCall;
    watchCall = null;
    if (call != null) {
      call.cancel(why, null);
    }
  }

  private static Status statusOf(Throwable error) {
    Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (t instanceof StatusException se) {
      return se.getStatus();
    }
    return Status.UNKNOWN.withDescription(String.valueOf(t)).withCause(t);
  }

  private static String abbreviate(String value) {
    return value.length() <= 200 ? value : value.substring(0, 200) + "...";
  }

  @Override
  public String toString() {
    return "EtcdResolver{" + prefix + " at " + client.endpoints() + "}";
  }
}
