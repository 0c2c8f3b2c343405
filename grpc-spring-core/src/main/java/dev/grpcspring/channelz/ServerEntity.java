package dev.grpcspring.channelz;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** A server: its calls, listen sockets and accepted connections. */
public final class ServerEntity extends Entity {
  private final CallCounters calls = new CallCounters();
  final Map<Long, SocketEntity> listenSockets = new ConcurrentSkipListMap<>();
  final ConcurrentSkipListMap<Long, SocketEntity> sockets = new ConcurrentSkipListMap<>();

  ServerEntity(Channelz registry, long id, String name) {
    super(registry, id, name);
  }

  /** The server's call counters. */
  public CallCounters calls() {
    return calls;
  }

  /** The sockets it listens on, by ascending id. */
  public List<SocketEntity> listenSockets() {
    return List.copyOf(listenSockets.values());
  }

  /** Its accepted connections, by ascending id. */
  public List<SocketEntity> sockets() {
    return List.copyOf(sockets.values());
  }

  Collection<SocketEntity> socketsFrom(long startId) {
    return sockets.tailMap(startId, true).values();
  }
}
