package dev.grpcspring.client;

import dev.grpcspring.ConnectivityState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The channel's aggregate connectivity state, with waiters for changes (grpc-go's {@code
 * connectivityStateManager}). SHUTDOWN is final.
 */
final class ConnectivityStateManager {
  private record Watcher(Consumer<ConnectivityState> callback, Executor executor) {}

  private ConnectivityState state = ConnectivityState.IDLE;
  private List<Watcher> watchers = new ArrayList<>();
  private volatile Consumer<ConnectivityState> onChange = s -> { };

  /** Runs {@code onChange} with every new state, on the updating thread, before the watchers. */
  void setOnChange(Consumer<ConnectivityState> onChange) {
    this.onChange = onChange;
  }

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
    onChange.accept(next);
    for (Watcher w : toRun) {
      w.executor.execute(() -> w.callback.accept(next));
    }
  }

  /**
   * Gives {@code callback}, on {@code executor}, the state the channel moved to once it is not
   * {@code source} (at once, with the current state, if it already is not).
   */
  void notifyWhenStateChanged(
      ConnectivityState source, Consumer<ConnectivityState> callback, Executor executor) {
    ConnectivityState now;
    synchronized (this) {
      if (state == source) {
        watchers.add(new Watcher(callback, executor));
        return;
      }
      now = state;
    }
    executor.execute(() -> callback.accept(now));
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
