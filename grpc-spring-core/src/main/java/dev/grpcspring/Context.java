package dev.grpcspring;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The scope a call runs in: values keyed by {@link Key}, a deadline, and cancellation that flows from
 * parent to child. The server attaches one to every handler, so a call made while serving a call
 * inherits the remaining deadline and is cancelled with it (grpc-go's {@code context.Context}, in
 * grpc-java's shape). Contexts are immutable except for cancellation; the current one is held per
 * thread.
 */
public class Context {
  private static final ThreadLocal<@Nullable Context> CURRENT = new ThreadLocal<>();

  /** The context with no values, no deadline, that is never cancelled. */
  public static final Context ROOT = new Context(null, null, null);

  private final @Nullable Context parent;
  private final @Nullable Entry values;
  /** The nearest cancellable context at or above this one, or null if nothing can cancel it. */
  @Nullable CancellableContext cancellable;

  private Context(
      @Nullable Context parent, @Nullable Entry values, @Nullable CancellableContext cancellable) {
    this.parent = parent;
    this.values = values;
    this.cancellable = cancellable;
  }

  /** The context attached to this thread, or {@link #ROOT}. */
  public static Context current() {
    Context c = CURRENT.get();
    return c == null ? ROOT : c;
  }

  /** A new key; keys compare by identity, the name is for debugging. */
  public static <T> Key<T> key(String name) {
    return new Key<>(name, null);
  }

  /** A new key with a default for contexts that have no value for it. */
  public static <T> Key<T> keyWithDefault(String name, T defaultValue) {
    return new Key<>(name, defaultValue);
  }

  /** A child context with one more value. */
  public <V> Context withValue(Key<V> key, @Nullable V value) {
    return new Context(this, new Entry(key, value, values), cancellable);
  }

  /** A child that can be cancelled on its own, and is cancelled when this one is. */
  public CancellableContext withCancellation() {
    return new CancellableContext(this, null, null);
  }

  /**
   * A child cancelled at {@code deadline} (or at this context's deadline, if earlier) with a
   * {@link TimeoutException} cause.
   */
  public CancellableContext withDeadline(Deadline deadline, ScheduledExecutorService scheduler) {
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(scheduler, "scheduler");
    return new CancellableContext(this, deadline, scheduler);
  }

  /** The value for the key here or in an ancestor, else the key's default (which may be null). */
  public <V> @Nullable V get(Key<V> key) {
    for (Entry e = values; e != null; e = e.next) {
      if (e.key == key) {
        @SuppressWarnings("unchecked")
        V v = (V) e.value;
        return v;
      }
    }
    return key.defaultValue;
  }

  /** Makes this context current on this thread; returns the one to give back to {@link #detach}. */
  public Context attach() {
    Context previous = current();
    CURRENT.set(this);
    return previous;
  }

  /** Restores {@code toRestore} as current; pairs with {@link #attach()}. */
  public void detach(Context toRestore) {
    // ROOT is stored as null rather than removed: remove() drops the thread's map entry and the
    // next attach on that thread allocates a new one (once per server callback before this).
    CURRENT.set(toRestore == ROOT ? null : toRestore);
  }

  /** Runs the task with this context current. */
  public void run(Runnable task) {
    Context previous = attach();
    try {
      task.run();
    } finally {
      detach(previous);
    }
  }

  /** Calls the task with this context current. */
  public <V> V call(Callable<V> task) throws Exception {
    Context previous = attach();
    try {
      return task.call();
    } finally {
      detach(previous);
    }
  }

  /** A runnable that runs {@code task} in this context, whatever thread runs it. */
  public Runnable wrap(Runnable task) {
    return () -> run(task);
  }

  /** An executor that runs every task in this context. */
  public Executor fixedContextExecutor(Executor executor) {
    return task -> executor.execute(wrap(task));
  }

  /** Whether this context, or an ancestor, has been cancelled. */
  public boolean isCancelled() {
    return cancellable != null && cancellable.isCancelled();
  }

  /** Why it was cancelled: a {@link TimeoutException} for a deadline, else what cancel was given. */
  public @Nullable Throwable cancellationCause() {
    return cancellable == null ? null : cancellable.cancellationCause();
  }

  /** The earliest deadline here or above, or {@code null}. */
  public @Nullable Deadline getDeadline() {
    return cancellable == null ? null : cancellable.deadline;
  }

  /**
   * Runs {@code listener} on {@code executor} when this context is cancelled, at once if it is. A
   * context that can never be cancelled never calls it.
   */
  public void addListener(CancellationListener listener, Executor executor) {
    if (cancellable != null) {
      cancellable.addListenerInternal(new ListenerEntry(this, listener, executor));
    }
  }

  /** Removes a listener added with {@link #addListener}. */
  public void removeListener(CancellationListener listener) {
    if (cancellable != null) {
      cancellable.removeListenerInternal(listener);
    }
  }

  @Nullable Context parent() {
    return parent;
  }

  /** Told when a context is cancelled. */
  @FunctionalInterface
  public interface CancellationListener {
    void cancelled(Context context);
  }

  /**
   * A key for a context value.
   *
   * @param <T> the value type
   */
  public static final class Key<T> {
    private final String name;
    private final @Nullable T defaultValue;

    private Key(String name, @Nullable T defaultValue) {
      this.name = Objects.requireNonNull(name, "name");
      this.defaultValue = defaultValue;
    }

    /** The value in the current context. */
    public @Nullable T get() {
      return current().get(this);
    }

    /** The value in {@code context}. */
    public @Nullable T get(Context context) {
      return context.get(this);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private record Entry(Key<?> key, @Nullable Object value, @Nullable Entry next) {}

  private record ListenerEntry(Context context, CancellationListener listener, Executor executor) {
    void fire() {
      executor.execute(() -> listener.cancelled(context));
    }
  }

  /**
   * A context that can be cancelled, by {@link #cancel}, by its deadline, or by its parent. Close it
   * when its work is done so that it stops listening to its parent.
   */
  public static final class CancellableContext extends Context implements AutoCloseable {
    private final @Nullable Deadline deadline;
    private final @Nullable CancellableContext parentCancellable;
    /** Null when the parent cannot be cancelled (ROOT, for every server call): nothing to hear. */
    private final @Nullable CancellationListener parentListener;
    private @Nullable ScheduledFuture<?> timer;
    private @Nullable List<ListenerEntry> listeners;
    private boolean cancelled;
    private @Nullable Throwable cause;

    private CancellableContext(
        Context parent,
        @Nullable Deadline deadline,
        @Nullable ScheduledExecutorService scheduler) {
      super(parent, parent.values, null);
      this.cancellable = this;
      this.parentCancellable = parent.cancellable;
      Deadline parentDeadline = parent.getDeadline();
      Deadline effective = deadline;
      if (parentDeadline != null && (effective == null || parentDeadline.isBefore(effective))) {
        effective = parentDeadline;
        scheduler = null; // the parent's timer cancels us
      }
      this.deadline = effective;
      if (parentCancellable != null) {
        CancellationListener l = c -> cancel(c.cancellationCause());
        parentListener = l;
        parent.addListener(l, Runnable::run);
      } else {
        parentListener = null;
      }
      if (scheduler != null && effective != null) {
        if (effective.isExpired()) {
          cancel(new TimeoutException("Deadline passed before the context was created"));
        } else {
          ScheduledFuture<?> t =
              effective.runOnExpiration(
                  () -> cancel(new TimeoutException("Context deadline exceeded")), scheduler);
          synchronized (this) {
            if (cancelled) {
              t.cancel(false);
            } else {
              timer = t;
            }
          }
        }
      }
    }

    /**
     * Cancels this context and its children; returns whether this call did it.
     *
     * @param cause why, or {@code null}
     */
    public boolean cancel(@Nullable Throwable cause) {
      List<ListenerEntry> toFire;
      synchronized (this) {
        if (cancelled) {
          return false;
        }
        cancelled = true;
        this.cause = cause;
        toFire = listeners;
        listeners = null;
        if (timer != null) {
          timer.cancel(false);
          timer = null;
        }
      }
      if (parentCancellable != null && parentListener != null) {
        parentCancellable.removeListenerInternal(parentListener);
      }
      if (toFire != null) {
        for (ListenerEntry e : toFire) {
          e.fire();
        }
      }
      return true;
    }

    /** Cancels with no cause; for try-with-resources. */
    @Override
    public void close() {
      cancel(null);
    }

    @Override
    public synchronized boolean isCancelled() {
      return cancelled;
    }

    @Override
    public synchronized @Nullable Throwable cancellationCause() {
      return cause;
    }

    @Override
    public @Nullable Deadline getDeadline() {
      return deadline;
    }

    @Override
    public void addListener(CancellationListener listener, Executor executor) {
      addListenerInternal(new ListenerEntry(this, listener, executor));
    }

    @Override
    public void removeListener(CancellationListener listener) {
      removeListenerInternal(listener);
    }

    void addListenerInternal(ListenerEntry entry) {
      synchronized (this) {
        if (!cancelled) {
          if (listeners == null) {
            listeners = new ArrayList<>(2);
          }
          listeners.add(entry);
          return;
        }
      }
      entry.fire();
    }

    synchronized void removeListenerInternal(CancellationListener listener) {
      if (listeners != null) {
        listeners.removeIf(e -> e.listener == listener);
      }
    }
  }
}
