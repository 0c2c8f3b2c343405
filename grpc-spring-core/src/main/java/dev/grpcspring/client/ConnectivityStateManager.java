package dev.grpcspring.client;

import dev.grpcspring.ConnectivityState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The channel's aggregate connectivity state, with waiters for changes (grpc-go's {@code
 * connectivityStateManager}). SHUTDOWN is final.
 */
final class ConnectivityStateManager {
  private record Watcher(ConnectivityState source, Runnable callback, Executor executor) {}

  private ConnectivityState state = ConnectivityState.IDLE;
  private List<Watcher> watchers = new ArrayList<>();

  synchronized ConnectivityState get() {
    return state;
  }

  /** Moves to {@code next}; does nothing for the same state or once SHUTDOWN. */
  void update(ConnectivityState next) {
    List<Watcher> toRun;
    synchronized (this) {
      if (state == next || state == ConnectivityState.SHUTDOWN) {
        return;
      }
      state = next;
      toRun = watchers;
      watchers = new ArrayList<>();
      notifyAll();
    }
    for (Watcher w : toRun) {
      w.executor.execute(w.callback);
    }
  }

  /** Runs {@code callback} on {@code executor} once the state is not {@code source} (at once if so). */
  void notifyWhenStateChanged(ConnectivityState source, Runnable callback, Executor executor) {
    synchronized (this) {
      if (state == source) {
        watchers.add(new Watcher(source, callback, executor));
        return;
      }
    }
    executor.execute(callback);
  }

  /** Blocks until the state is not {@code source} or the timeout passes; true if it changed. */
  synchronized boolean awaitStateChange(ConnectivityState source, long timeoutNanos)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (state == source) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }
}
