package dev.grpcspring.client;

import dev.grpcspring.Status;
import dev.grpcspring.balancer.PickInfo;
import dev.grpcspring.balancer.PickResult;
import dev.grpcspring.balancer.Picker;
import dev.grpcspring.balancer.SubConn;
import dev.grpcspring.transport.ClientTransport;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Hands calls a ready transport from the balancer's current picker (grpc-go's {@code
 * pickerWrapper}, grpc-java's {@code DelayedClientTransport}). A call whose pick has no answer yet
 * is queued, not parked: every new picker replays the queue, so waiting calls hold no thread.
 * Fail-fast calls fail on a pick error; wait-for-ready calls stay queued until a transport is
 * ready, their deadline, or close.
 */
final class PickerWrapper {
  private static final Logger log = Logger.getLogger(PickerWrapper.class.getName());

  /** One call's request for a transport; told exactly once unless removed first. */
  interface PendingPick {
    PickInfo pickInfo();

    boolean waitForReady();

    void onPicked(AddrConn subConn, ClientTransport transport);

    void onPickFailed(Status status);

    /** The balancer dropped the call: it fails at once and is never retried (gRFC A6). */
    default void onPickDropped(Status status) {
      onPickFailed(status);
    }
  }

  private @Nullable Picker picker; // null until the first picker, and while idle
  private long version;
  private @Nullable Status closedStatus;
  private final Set<PendingPick> pending = new LinkedHashSet<>();

  /** Picks now if the current picker can, else queues the pick until a picker can. */
  void pick(PendingPick p) {
    Picker current;
    long v;
    synchronized (this) {
      current = picker;
      v = version;
    }
    while (true) {
      if (closedStatus() == null && current != null && tryPick(current, p)) {
        return;
      }
      Status closed;
      synchronized (this) {
        closed = closedStatus;
        if (closed == null) {
          if (version == v) {
            pending.add(p);
            return;
          }
          current = picker;
          v = version;
          continue;
        }
      }
      p.onPickFailed(closed);
      return;
    }
  }

  /** Forgets a queued pick (its call was cancelled or timed out); true if it was queued. */
  synchronized boolean remove(PendingPick p) {
    return pending.remove(p);
  }

  /** Installs a new picker and replays every queued pick against it. */
  void updatePicker(Picker next) {
    List<PendingPick> replay;
    synchronized (this) {
      if (closedStatus != null) {
        return;
      }
      picker = next;
      version++;
      if (pending.isEmpty()) {
        return;
      }
      replay = new ArrayList<>(pending);
      pending.clear();
    }
    for (PendingPick p : replay) {
      pick(p);
    }
  }

  /** Queues every later pick until the next picker (the channel went idle). */
  synchronized void reset() {
    picker = null;
    version++;
  }

  /** Fails queued and later picks with {@code status} (the channel closed). */
  void close(Status status) {
    List<PendingPick> failed;
    synchronized (this) {
      if (closedStatus != null) {
        return;
      }
      closedStatus = status;
      failed = new ArrayList<>(pending);
      pending.clear();
    }
    for (PendingPick p : failed) {
      p.onPickFailed(status);
    }
  }

  synchronized int pendingCount() {
    return pending.size();
  }

  private synchronized @Nullable Status closedStatus() {
    return closedStatus;
  }

  /** True when the pick was answered (picked or failed); false to keep it waiting. */
  private static boolean tryPick(Picker picker, PendingPick p) {
    PickResult r;
    try {
      r = picker.pick(p.pickInfo());
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Picker " + picker + " threw", e);
      p.onPickFailed(Status.INTERNAL.withDescription("The load balancer's picker failed: " + e)
          .withCause(e));
      return true;
    }
    if (r.isDrop()) {
      p.onPickDropped(r.getStatus());
      return true;
    }
    if (!r.getStatus().isOk()) {
      if (p.waitForReady()) {
        return false;
      }
      p.onPickFailed(r.getStatus());
      return true;
    }
    SubConn sc = r.getSubConn();
    if (sc == null) {
      return false;
    }
    if (!(sc instanceof AddrConn ac)) {
      p.onPickFailed(Status.INTERNAL.withDescription(
          "The load balancer picked a subchannel this channel did not create: " + sc));
      return true;
    }
    ClientTransport t = ac.readyTransport();
    if (t == null) {
      return false; // it just stopped being READY; the balancer will publish a new picker
    }
    p.onPicked(ac, t);
    return true;
  }
}
