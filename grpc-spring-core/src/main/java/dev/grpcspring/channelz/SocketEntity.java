package dev.grpcspring.channelz;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/** A connection (client or server side) or a listening socket. */
public final class SocketEntity extends Entity {
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
  public SocketAddress localAddress() {
    return view.localAddress();
  }

  /** The peer's address, or null (listen sockets, or not connected yet). */
  public SocketAddress remoteAddress() {
    return view.remoteAddress();
  }

  /** The connection-level flow-control windows; completes with null when there are none. */
  public CompletableFuture<FlowControlWindows> flowControlWindows() {
    return view.flowControlWindows();
  }
}
