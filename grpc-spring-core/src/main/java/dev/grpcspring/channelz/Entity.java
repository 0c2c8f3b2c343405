package dev.grpcspring.channelz;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Something channelz tracks: a channel, subchannel, server or socket. Each has a process-unique
 * positive id (ascending in creation order, never reused), a name for people, and stays in its
 * {@link Channelz} registry until {@link #close()}.
 */
public abstract sealed class Entity
    permits ChannelEntity, SubchannelEntity, ServerEntity, SocketEntity {
  private final Channelz registry;
  private final long id;
  private final String name;
  private final long createdMillis = System.currentTimeMillis();
  private final AtomicBoolean closed = new AtomicBoolean();

  Entity(Channelz registry, long id, String name) {
    this.registry = registry;
    this.id = id;
    this.name = name == null ? "" : name;
  }

  /** The id: positive, unique in this process. */
  public final long id() {
    return id;
  }

  /** A name for people (a target, an address); may be empty. */
  public final String name() {
    return name;
  }

  /** When it was created (epoch milliseconds). */
  public final long createdMillis() {
    return createdMillis;
  }

  /** Whether it was removed from its registry. */
  public final boolean isClosed() {
    return closed.get();
  }

  /** Removes it from its registry (and its parent); later calls do nothing. */
  public final void close() {
    if (closed.compareAndSet(false, true)) {
      registry.removed(this);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{id=" + id + ", name=" + name + "}";
  }
}
