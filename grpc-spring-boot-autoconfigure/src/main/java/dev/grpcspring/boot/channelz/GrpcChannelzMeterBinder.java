package dev.grpcspring.boot.channelz;

import dev.grpcspring.ConnectivityState;
import dev.grpcspring.channelz.AttemptCounters;
import dev.grpcspring.channelz.CallCounters;
import dev.grpcspring.channelz.ChannelEntity;
import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.channelz.Entity;
import dev.grpcspring.channelz.GoAway;
import dev.grpcspring.channelz.ServerEntity;
import dev.grpcspring.channelz.SocketEntity;
import dev.grpcspring.channelz.SocketStats;
import dev.grpcspring.channelz.SubchannelEntity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * Exports the channelz registry as meters. Every live channel, subchannel, server and socket has
 * its own meters, read from the registry's counters when the meter registry asks (function
 * counters and gauges: nothing is copied on the call path). Entities that appear later get meters
 * as they are created, and closed ones lose theirs.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th></tr>
 * <tr><td>{@code grpc.channelz.channel.calls.started|succeeded|failed}</td><td>counter</td>
 *   <td>{@code channel} (id), {@code target}</td></tr>
 * <tr><td>{@code grpc.channelz.channel.state}</td><td>gauge</td><td>as above</td></tr>
 * <tr><td>{@code grpc.channelz.channel.attempts}, {@code
 *   grpc.channelz.channel.attempts.transparent-retries|retries|hedges|throttled}</td>
 *   <td>counter</td><td>as above</td></tr>
 * <tr><td>{@code grpc.channelz.subchannel.calls.started|succeeded|failed},
 *   {@code grpc.channelz.subchannel.state}</td><td>counter, gauge</td>
 *   <td>{@code subchannel} (id), {@code channel}, {@code target}</td></tr>
 * <tr><td>{@code grpc.channelz.server.calls.started|succeeded|failed}</td><td>counter</td>
 *   <td>{@code server} (id)</td></tr>
 * <tr><td>{@code grpc.channelz.socket.streams.started|succeeded|failed},
 *   {@code grpc.channelz.socket.messages.sent|received},
 *   {@code grpc.channelz.socket.keepalives.sent}</td><td>counter</td>
 *   <td>{@code socket} (id), {@code kind} (client or server), and {@code subchannel},
 *   {@code channel}, {@code target} (client) or {@code server} (server)</td></tr>
 *
 * <tr><td>{@code grpc.connection.goaways}</td><td>counter</td>
 *   <td>{@code direction} (sent or received), {@code kind} (client or server), {@code code}
 *   (the HTTP/2 error name, such as NO_ERROR or ENHANCE_YOUR_CALM), {@code reason} (the debug
 *   data when it is a known reason such as {@code too_many_pings}, {@code max_age}, {@code
 *   max_idle}, {@code graceful_shutdown}; {@code none} when empty; {@code other})</td></tr>
 * </table>
 *
 * <p>GOAWAY counters count frames (a graceful shutdown sends two) and outlive their connections.
 * States are gauges with the values IDLE=0, CONNECTING=1, READY=2, TRANSIENT_FAILURE=3,
 * SHUTDOWN=4. Socket meters come and go with connections; a server with many short-lived clients
 * can turn them off with {@code management.metrics.enable.grpc.channelz.socket=false}.
 */
public final class GrpcChannelzMeterBinder implements MeterBinder, AutoCloseable {
  private final Channelz channelz;
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
  private final Map<Long, List<Meter>> meters = new ConcurrentHashMap<>();
  private final Channelz.Listener listener = new Channelz.Listener() {
    @Override
    public void added(Entity entity) {
      for (MeterRegistry r : registries) {
        register(r, entity);
      }
    }

    @Override
    public void removed(Entity entity) {
      unregister(entity);
    }

    @Override
    public void goAway(SocketEntity socket, GoAway goAway) {
      countGoAway(socket, goAway);
    }
  };

  /**
   * GOAWAY debug data kept as the {@code reason} tag: what gRPC servers send (ours, grpc-java,
   * grpc-go). Anything else is {@code other}, since a peer chooses it and tags must stay few.
   */
  private static final Set<String> KNOWN_REASONS = Set.of("too_many_pings", "max_age", "max_idle",
      "graceful_shutdown", "shutdown", "server_shutdown", "drain", "client_transport_closed");

  public GrpcChannelzMeterBinder(Channelz channelz) {
    this.channelz = channelz;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    if (registries.isEmpty()) {
      channelz.addListener(listener);
    }
    registries.add(registry);
    // Entities created before this point; the listener covers those that come after. An entity
    // created in between may be seen twice: registering a meter twice returns the same meter.
    for (ChannelEntity c : channelz.topChannels(0, Integer.MAX_VALUE).items()) {
      register(registry, c);
      for (SubchannelEntity s : c.subchannels()) {
        register(registry, s);
      }
    }
    for (ServerEntity s : channelz.servers(0, Integer.MAX_VALUE).items()) {
      register(registry, s);
    }
    for (SocketEntity s : channelz.sockets()) {
      register(registry, s);
    }
  }

  /** Stops following the registry and removes every meter this binder made. */
  @Override
  public void close() {
    channelz.removeListener(listener);
    for (Long id : List.copyOf(meters.keySet())) {
      List<Meter> list = meters.remove(id);
      if (list != null) {
        removeAll(list);
      }
    }
    registries.clear();
  }

  private void register(MeterRegistry r, Entity entity) {
    List<Meter> made = new ArrayList<>();
    if (entity instanceof ChannelEntity c) {
      Tags tags = Tags.of("channel", Long.toString(c.id()), "target", c.target());
      calls(r, "grpc.channelz.channel", c.calls(), tags, made);
      AttemptCounters a = c.attempts();
      counter(r, "grpc.channelz.channel.attempts", a, AttemptCounters::attempts,
          "Attempts made by the channel's calls, of every kind (gRFC A6)", tags, made);
      counter(r, "grpc.channelz.channel.attempts.transparent-retries", a,
          AttemptCounters::transparentRetries,
          "Attempts made again because the server never processed the previous one", tags, made);
      counter(r, "grpc.channelz.channel.attempts.retries", a, AttemptCounters::retries,
          "Retries made under a service config retryPolicy", tags, made);
      counter(r, "grpc.channelz.channel.attempts.hedges", a, AttemptCounters::hedges,
          "Hedges made under a service config hedgingPolicy", tags, made);
      counter(r, "grpc.channelz.channel.attempts.throttled", a, AttemptCounters::throttledRetries,
          "Retries and hedges refused by retry throttling", tags, made);
      made.add(Gauge.builder("grpc.channelz.channel.state", c, x -> stateValue(x.state()))
          .tags(tags).description("Connectivity state: IDLE=0, CONNECTING=1, READY=2, "
              + "TRANSIENT_FAILURE=3, SHUTDOWN=4").register(r));
    } else if (entity instanceof SubchannelEntity s) {
      Tags tags = Tags.of("subchannel", Long.toString(s.id()),
          "channel", Long.toString(s.parent().id()), "target", s.parent().target());
      calls(r, "grpc.channelz.subchannel", s.calls(), tags, made);
      made.add(Gauge.builder("grpc.channelz.subchannel.state", s, x -> stateValue(x.state()))
          .tags(tags).description("Connectivity state: IDLE=0, CONNECTING=1, READY=2, "
              + "TRANSIENT_FAILURE=3, SHUTDOWN=4").register(r));
    } else if (entity instanceof ServerEntity s) {
      calls(r, "grpc.channelz.server", s.calls(), Tags.of("server", Long.toString(s.id())), made);
    } else if (entity instanceof SocketEntity s && s.kind() != SocketEntity.Kind.LISTEN) {
      Tags tags = Tags.of("socket", Long.toString(s.id()),
          "kind", s.kind() == SocketEntity.Kind.CLIENT ? "client" : "server");
      if (s.parent() instanceof SubchannelEntity sc) {
        tags = tags.and("subchannel", Long.toString(sc.id()), "channel",
            Long.toString(sc.parent().id()), "target", sc.parent().target());
      } else if (s.parent() instanceof ServerEntity sv) {
        tags = tags.and("server", Long.toString(sv.id()));
      }
      SocketStats st = s.stats();
      counter(r, "grpc.channelz.socket.streams.started", st, SocketStats::streamsStarted,
          "Streams opened on the connection", tags, made);
      counter(r, "grpc.channelz.socket.streams.succeeded", st, SocketStats::streamsSucceeded,
          "Streams that ended with END_STREAM (received by a client, sent by a server)", tags, made);
      counter(r, "grpc.channelz.socket.streams.failed", st, SocketStats::streamsFailed,
          "Streams that ended otherwise (reset, connection lost)", tags, made);
      counter(r, "grpc.channelz.socket.messages.sent", st, SocketStats::messagesSent,
          "gRPC messages sent", tags, made);
      counter(r, "grpc.channelz.socket.messages.received", st, SocketStats::messagesReceived,
          "gRPC messages received", tags, made);
      counter(r, "grpc.channelz.socket.keepalives.sent", st, SocketStats::keepAlivesSent,
          "Keepalive pings sent", tags, made);
    }
    if (made.isEmpty()) {
      return;
    }
    meters.computeIfAbsent(entity.id(), id -> new CopyOnWriteArrayList<>()).addAll(made);
    if (entity.isClosed()) {
      unregister(entity); // closed while we registered: do not leave its meters behind
    }
  }

  private void unregister(Entity entity) {
    List<Meter> list = meters.remove(entity.id());
    if (list != null) {
      removeAll(list);
    }
  }

  private void removeAll(List<Meter> list) {
    for (Meter m : list) {
      for (MeterRegistry r : registries) {
        r.remove(m);
      }
    }
  }

  private static void calls(MeterRegistry r, String prefix, CallCounters calls, Tags tags,
      List<Meter> made) {
    counter(r, prefix + ".calls.started", calls, CallCounters::callsStarted, "Calls started",
        tags, made);
    counter(r, prefix + ".calls.succeeded", calls, CallCounters::callsSucceeded,
        "Calls that ended with status OK", tags, made);
    counter(r, prefix + ".calls.failed", calls, CallCounters::callsFailed,
        "Calls that ended with another status", tags, made);
  }

  private static <T> void counter(MeterRegistry r, String name, T source,
      java.util.function.ToLongFunction<T> read, String description, Tags tags, List<Meter> made) {
    ToDoubleFunction<T> f = x -> read.applyAsLong(x);
    made.add(FunctionCounter.builder(name, source, f).tags(tags).description(description)
        .register(r));
  }

  private void countGoAway(SocketEntity socket, GoAway goAway) {
    String debug = goAway.debugData();
    Tags tags = Tags.of("direction", goAway.sent() ? "sent" : "received",
        "kind", socket.kind() == SocketEntity.Kind.CLIENT ? "client" : "server",
        "code", goAway.errorName(),
        "reason", debug.isEmpty() ? "none" : KNOWN_REASONS.contains(debug) ? debug : "other");
    for (MeterRegistry r : registries) {
      Counter.builder("grpc.connection.goaways").tags(tags)
          .description("GOAWAY frames sent or received, by error code and reason")
          .register(r).increment();
    }
  }

  private static double stateValue(ConnectivityState s) {
    return s == null ? Double.NaN : s.ordinal();
  }
}
