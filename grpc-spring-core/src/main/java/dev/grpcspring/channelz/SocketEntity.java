package dev.grpcspring.channelz;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/** A connection (client or server side) or a listening socket. */
public final class SocketEntity extends Entity {
  private static final Logger log = Logger.getLogger(SocketEntity.class.getName());
  /** What kind of socket. */
  public enum Kind {
    /** A client connection, child of a subchannel. */
    CLIENT,
    /** A connection a server accepted. */
    SERVER,
    /** A socket a server listens on. */
    LISTEN
  }

  private final Kind kind;
  private final Entity parent;
  private final SocketView view;

  SocketEntity(Channelz registry, long id, String name, Kind kind, Entity parent, SocketView view) {
    super(registry, id, name);
    this.kind = kind;
    this.parent = parent;
    this.view = view;
  }

  /** Client, server or listen socket. */
  public Kind kind() {
    return kind;
  }

  /** The subchannel (client sockets) or server (the others) it belongs to. */
  public Entity parent() {
    return parent;
  }

  /** The counters. */
  public SocketStats stats() {
    return view.stats();
  }

  /** The local address, or null if unknown yet. */
  public @Nullable SocketAddress localAddress() {
    return view.localAddress();
  }

  /** The peer's address, or null (listen sockets, or not connected yet). */
  public @Nullable SocketAddress remoteAddress() {
    return view.remoteAddress();
  }

  /** The socket's options by name ({@link SocketView#socketOptions()}). */
  public Map<String, String> socketOptions() {
    return view.socketOptions();
  }

  /** The connection's TLS, or null for plaintext and listen sockets. */
  public @Nullable SocketSecurity security() {
    return view.security();
  }

  /** The connection-level flow-control windows; completes with null when there are none. */
  public CompletableFuture<FlowControlWindows> flowControlWindows() {
    return view.flowControlWindows();
  }

  /**
   * The connection-level flow-control windows, waiting up to {@code timeout} for the connection's
   * event loop to read them; null when there are none or they could not be read in time.
   */
  public @Nullable FlowControlWindows flowControlWindows(Duration timeout) {
    try {
      return view.flowControlWindows().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException e) {
      log.log(Level.FINE, "Could not read the flow-control windows of " + this, e);
      return null;
    }
  }
}
