package dev.grpcspring.channelz;

import dev.grpcspring.ConnectivityState;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The channelz registry (gRFC A14): every channel, subchannel, server and socket of the process,
 * with their counters. Always on: entities are added when created and removed when closed, and the
 * counters they carry are striped adders, so the call path takes no lock. Channels and servers use
 * {@link #getDefault()} unless given another registry (tests do, to see only their own entities).
 *
 * <p>Ids come from one process-wide sequence, so they stay unique (and ordered by creation) across
 * registries and are never reused.
 */
public final class Channelz {
  private static final Logger log = Logger.getLogger(Channelz.class.getName());
  private static final AtomicLong ids = new AtomicLong();
  private static final Channelz DEFAULT = new Channelz();
  /** The page size when a request asks for none. */
  public static final int DEFAULT_PAGE_SIZE = 100;

  private final ConcurrentSkipListMap<Long, ChannelEntity> channels = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<Long, SubchannelEntity> subchannels =
      new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<Long, ServerEntity> servers = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<Long, SocketEntity> sockets = new ConcurrentSkipListMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /** A registry of its own; most code uses {@link #getDefault()}. */
  public Channelz() {}

  /** The process-wide registry. */
  public static Channelz getDefault() {
    return DEFAULT;
  }

  /** Hears entities come and go (for exporters that keep per-entity state). */
  public interface Listener {
    /** An entity was added. Called on the adding thread; must be quick and must not throw. */
    void added(Entity entity);

    /** An entity was closed. Called on the closing thread; must be quick and must not throw. */
    void removed(Entity entity);

    /**
     * A registered connection sent or received a GOAWAY frame. Called on the connection's event
     * loop; must be quick and must not throw. Nothing by default.
     */
    default void goAway(SocketEntity socket, GoAway goAway) {}
  }

  /** Adds a listener; it is not told about entities that exist already. */
  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener. */
  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }

  // ---- registration ----

  /** Registers a top-level channel. */
  public ChannelEntity addChannel(String target, Supplier<ConnectivityState> state) {
    ChannelEntity e = new ChannelEntity(this, ids.incrementAndGet(), target, state);
    e.trace().add("Channel created for target " + target, ChannelTrace.Severity.INFO);
    channels.put(e.id(), e);
    fireAdded(e);
    return e;
  }

  /** Registers a subchannel of {@code parent}; {@code addresses} is read each time it is shown. */
  public SubchannelEntity addSubchannel(ChannelEntity parent, Supplier<String> addresses,
      Supplier<ConnectivityState> state) {
    SubchannelEntity e = new SubchannelEntity(this, ids.incrementAndGet(),
        Objects.requireNonNull(parent, "parent"), addresses, state);
    e.trace().add("Subchannel created for " + e.name(), ChannelTrace.Severity.INFO);
    parent.trace().add("Subchannel created", ChannelTrace.Severity.INFO, e);
    subchannels.put(e.id(), e);
    parent.subchannels.put(e.id(), e);
    fireAdded(e);
    return e;
  }

  /** Registers a server. */
  public ServerEntity addServer(String name) {
    ServerEntity e = new ServerEntity(this, ids.incrementAndGet(), name);
    servers.put(e.id(), e);
    fireAdded(e);
    return e;
  }

  /** Registers a client connection of {@code parent}. */
  public SocketEntity addClientSocket(SubchannelEntity parent, String name, SocketView view) {
    SocketEntity e = new SocketEntity(this, ids.incrementAndGet(), name, SocketEntity.Kind.CLIENT,
        Objects.requireNonNull(parent, "parent"), view);
    sockets.put(e.id(), e);
    parent.sockets.put(e.id(), e);
    view.stats().goAwaySink(g -> fireGoAway(e, g));
    fireAdded(e);
    return e;
  }

  /** Registers a connection {@code parent} accepted. */
  public SocketEntity addServerSocket(ServerEntity parent, String name, SocketView view) {
    SocketEntity e = new SocketEntity(this, ids.incrementAndGet(), name, SocketEntity.Kind.SERVER,
        Objects.requireNonNull(parent, "parent"), view);
    sockets.put(e.id(), e);
    parent.sockets.put(e.id(), e);
    view.stats().goAwaySink(g -> fireGoAway(e, g));
    fireAdded(e);
    return e;
  }

  /** Registers a socket {@code parent} listens on. */
  public SocketEntity addListenSocket(ServerEntity parent, SocketAddress local) {
    SocketView view = new ListenSocketView(local);
    SocketEntity e = new SocketEntity(this, ids.incrementAndGet(), String.valueOf(local),
        SocketEntity.Kind.LISTEN, Objects.requireNonNull(parent, "parent"), view);
    sockets.put(e.id(), e);
    parent.listenSockets.put(e.id(), e);
    fireAdded(e);
    return e;
  }

  private void fireGoAway(SocketEntity socket, GoAway goAway) {
    for (Listener l : listeners) {
      try {
        l.goAway(socket, goAway);
      } catch (RuntimeException ex) {
        // A listener's bug must not break the connection's event loop.
        log.log(Level.WARNING, "Channelz listener " + l + " failed on " + goAway + " of " + socket, ex);
      }
    }
  }

  void removed(Entity e) {
    if (e instanceof ChannelEntity c) {
      channels.remove(c.id());
    } else if (e instanceof SubchannelEntity s) {
      subchannels.remove(s.id());
      s.parent().subchannels.remove(s.id());
      s.parent().trace().add("Subchannel removed", ChannelTrace.Severity.INFO, s);
    } else if (e instanceof ServerEntity s) {
      servers.remove(s.id());
    } else if (e instanceof SocketEntity s) {
      sockets.remove(s.id());
      if (s.parent() instanceof SubchannelEntity sc) {
        sc.sockets.remove(s.id());
      } else if (s.parent() instanceof ServerEntity sv) {
        sv.sockets.remove(s.id());
        sv.listenSockets.remove(s.id());
      }
    }
    for (Listener l : listeners) {
      try {
        l.removed(e);
      } catch (RuntimeException ex) {
        log.log(Level.WARNING, "Channelz listener " + l + " failed on removal of " + e, ex);
      }
    }
  }

  private void fireAdded(Entity e) {
    for (Listener l : listeners) {
      try {
        l.added(e);
      } catch (RuntimeException ex) {
        log.log(Level.WARNING, "Channelz listener " + l + " failed on addition of " + e, ex);
      }
    }
  }

  // ---- queries ----

  /**
   * Top-level channels with id at least {@code startId}, at most {@code maxResults} of them (0
   * means {@link #DEFAULT_PAGE_SIZE}), by ascending id.
   */
  public Page<ChannelEntity> topChannels(long startId, long maxResults) {
    return page(channels.tailMap(startId, true).values(), maxResults);
  }

  /** Servers from {@code startId}, paged like {@link #topChannels}. */
  public Page<ServerEntity> servers(long startId, long maxResults) {
    return page(servers.tailMap(startId, true).values(), maxResults);
  }

  /** A server's accepted connections from {@code startId}, paged like {@link #topChannels}. */
  public Page<SocketEntity> serverSockets(ServerEntity server, long startId, long maxResults) {
    return page(server.socketsFrom(startId), maxResults);
  }

  /** Every subchannel, by ascending id. */
  public List<SubchannelEntity> subchannels() {
    return List.copyOf(subchannels.values());
  }

  /** Every socket (client, server and listen), by ascending id. */
  public List<SocketEntity> sockets() {
    return List.copyOf(sockets.values());
  }

  /** The top-level channel with this id, or null. */
  public @Nullable ChannelEntity channel(long id) {
    return channels.get(id);
  }

  /** The subchannel with this id, or null. */
  public @Nullable SubchannelEntity subchannel(long id) {
    return subchannels.get(id);
  }

  /** The server with this id, or null. */
  public @Nullable ServerEntity server(long id) {
    return servers.get(id);
  }

  /** The socket with this id, or null. */
  public @Nullable SocketEntity socket(long id) {
    return sockets.get(id);
  }

  private static <T extends Entity> Page<T> page(Collection<T> from, long maxResults) {
    if (maxResults < 0) {
      throw new IllegalArgumentException("maxResults must not be negative, was " + maxResults);
    }
    long max = maxResults == 0 ? DEFAULT_PAGE_SIZE : maxResults;
    List<T> out = new ArrayList<>();
    boolean end = true;
    for (T e : from) {
      if (out.size() >= max) {
        end = false;
        break;
      }
      out.add(e);
    }
    return new Page<>(List.copyOf(out), end);
  }

  /**
   * One page of entities.
   *
   * @param items by ascending id
   * @param end whether nothing came after them when the page was read
   */
  public record Page<T>(List<T> items, boolean end) {}

  private record ListenSocketView(SocketAddress localAddress) implements SocketView {
    private static final SocketStats NONE = new SocketStats();

    @Override
    public SocketStats stats() {
      return NONE;
    }

    @Override
    public @Nullable SocketAddress remoteAddress() {
      return null;
    }

    @Override
    public CompletableFuture<FlowControlWindows> flowControlWindows() {
      return CompletableFuture.completedFuture(null);
    }
  }
}
