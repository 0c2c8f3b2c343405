package dev.grpcspring.boot.actuate;

import dev.grpcspring.ConnectivityState;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.boot.autoconfigure.client.DefaultGrpcChannelFactory;
import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.channelz.CallCounters;
import dev.grpcspring.channelz.ChannelEntity;
import dev.grpcspring.channelz.ChannelTrace;
import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.channelz.FlowControlWindows;
import dev.grpcspring.channelz.ServerEntity;
import dev.grpcspring.channelz.SocketEntity;
import dev.grpcspring.channelz.SocketSecurity;
import dev.grpcspring.channelz.SocketStats;
import dev.grpcspring.channelz.SubchannelEntity;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.server.Server;
import dev.grpcspring.server.ServerServiceDefinition;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code grpc} actuator endpoint: the process's gRPC servers (ports, services and methods,
 * call counters, connections) and channels (name, target, state, call counters, subchannels and
 * their connections), as channelz sees them.
 */
@Endpoint(id = "grpc")
public class GrpcEndpoint {
  private final Channelz channelz;
  private final Supplier<GrpcServerLifecycle> serverLifecycle;
  private final Supplier<DefaultGrpcChannelFactory> channelFactory;

  /**
   * @param serverLifecycle the Spring-managed server, or a supplier of null if there is none
   * @param channelFactory the Spring-managed channels, or a supplier of null
   */
  public GrpcEndpoint(Channelz channelz, Supplier<GrpcServerLifecycle> serverLifecycle,
      Supplier<DefaultGrpcChannelFactory> channelFactory) {
    this.channelz = channelz;
    this.serverLifecycle = serverLifecycle;
    this.channelFactory = channelFactory;
  }

  /** Everything, in one document. */
  @ReadOperation
  public GrpcDescriptor grpc() {
    Server managed = managedServer();
    List<ServerDescriptor> servers = new ArrayList<>();
    for (ServerEntity s : channelz.servers(0, Integer.MAX_VALUE).items()) {
      @Nullable List<ServiceDescriptor> services = null;
      List<String> listen = new ArrayList<>();
      for (SocketEntity l : s.listenSockets()) {
        listen.add(String.valueOf(l.localAddress()));
      }
      @Nullable Integer port = null;
      @Nullable String security = null;
      @Nullable List<Map<String, String>> listeners = null;
      if (managed != null && managed.channelz() != null && managed.channelz().id() == s.id()) {
        services = services(managed);
        port = managed.getPort();
        security = GrpcServerHealthIndicator.security(managed.getListeners(),
            managed.credentials());
        listeners = GrpcServerHealthIndicator.describe(managed.getListeners());
      }
      servers.add(new ServerDescriptor(s.id(), s.name(), port, security, listen, listeners,
          services, calls(s.calls()), sockets(s.sockets())));
    }
    Map<Long, String> names = channelNames();
    Map<Long, String> security = channelSecurity();
    List<ChannelDescriptor> channels = new ArrayList<>();
    for (ChannelEntity c : channelz.topChannels(0, Integer.MAX_VALUE).items()) {
      List<SubchannelDescriptor> subs = new ArrayList<>();
      for (SubchannelEntity sc : c.subchannels()) {
        subs.add(new SubchannelDescriptor(sc.id(), sc.addresses(), state(sc.state()),
            calls(sc.calls()), trace(sc.trace()), sockets(sc.sockets())));
      }
      channels.add(new ChannelDescriptor(c.id(), names.get(c.id()), c.target(),
          security.get(c.id()), state(c.state()),
          calls(c.calls()), trace(c.trace()), subs));
    }
    return new GrpcDescriptor(servers, channels);
  }

  private @Nullable Server managedServer() {
    GrpcServerLifecycle l = serverLifecycle.get();
    return l == null ? null : l.getServer();
  }

  private Map<Long, String> channelNames() {
    Map<Long, String> names = new HashMap<>();
    DefaultGrpcChannelFactory f = channelFactory.get();
    if (f != null) {
      for (Map.Entry<String, ClientConn> e : f.getConnections().entrySet()) {
        names.put(e.getValue().channelz().id(), e.getKey());
      }
    }
    return names;
  }

  private Map<Long, String> channelSecurity() {
    Map<Long, String> security = new HashMap<>();
    DefaultGrpcChannelFactory f = channelFactory.get();
    if (f != null) {
      for (ClientConn cc : f.getConnections().values()) {
        security.put(cc.channelz().id(), cc.transportCredentials().securityProtocol());
      }
    }
    return security;
  }

  private static List<ServiceDescriptor> services(Server server) {
    List<ServiceDescriptor> out = new ArrayList<>();
    for (ServerServiceDefinition d : server.getServices()) {
      List<MethodDescriptorView> methods = new ArrayList<>();
      for (MethodDescriptor<?, ?> m : d.getServiceDescriptor().getMethods()) {
        methods.add(new MethodDescriptorView(m.getBareMethodName(), m.getType().name()));
      }
      out.add(new ServiceDescriptor(d.getServiceDescriptor().getName(), methods));
    }
    return out;
  }

  private static List<SocketDescriptor> sockets(List<SocketEntity> sockets) {
    List<SocketDescriptor> out = new ArrayList<>();
    for (SocketEntity s : sockets) {
      SocketStats st = s.stats();
      FlowControlWindows w = s.flowControlWindows(Duration.ofSeconds(1));
      out.add(new SocketDescriptor(s.id(), address(s.localAddress()), address(s.remoteAddress()),
          st.streamsStarted(), st.streamsSucceeded(), st.streamsFailed(), st.messagesSent(),
          st.messagesReceived(), st.keepAlivesSent(), instant(st.lastLocalStreamCreatedMillis()),
          instant(st.lastRemoteStreamCreatedMillis()), instant(st.lastMessageSentMillis()),
          instant(st.lastMessageReceivedMillis()), w == null ? null : w.local(),
          w == null ? null : w.remote(), tls(s.security())));
    }
    return out;
  }

  private static @Nullable TlsDescriptor tls(@Nullable SocketSecurity sec) {
    return sec == null ? null
        : new TlsDescriptor(sec.protocol(), sec.cipherSuite(), sec.provider());
  }

  private static List<TraceEventDescriptor> trace(ChannelTrace trace) {
    List<TraceEventDescriptor> out = new ArrayList<>();
    for (ChannelTrace.Event e : trace.events()) {
      out.add(new TraceEventDescriptor(instant(e.timestampMillis()), e.severity().name(),
          e.description(), e.child() == null ? null : e.child().id()));
    }
    return out;
  }

  private static CallsDescriptor calls(CallCounters c) {
    return new CallsDescriptor(c.callsStarted(), c.callsSucceeded(), c.callsFailed(),
        instant(c.lastCallStartedMillis()));
  }

  private static @Nullable String state(@Nullable ConnectivityState s) {
    return s == null ? null : s.name();
  }

  private static @Nullable String address(@Nullable SocketAddress a) {
    return a == null ? null : a.toString();
  }

  private static @Nullable Instant instant(long millis) {
    return millis == 0 ? null : Instant.ofEpochMilli(millis);
  }

  /** The endpoint's document. */
  public record GrpcDescriptor(List<ServerDescriptor> servers, List<ChannelDescriptor> channels)
      implements OperationResponseBody {}

  /**
   * A server; {@code port}, {@code security} ({@code tls}, {@code insecure}, or {@code mixed} when
   * its listeners differ), {@code listeners} (each address with its {@code security} and, for TLS,
   * {@code clientAuth}) and {@code services} only for the one this application runs.
   */
  public record ServerDescriptor(long id, String name, @Nullable Integer port,
      @Nullable String security, List<String> listenAddresses,
      @Nullable List<Map<String, String>> listeners, @Nullable List<ServiceDescriptor> services, CallsDescriptor calls, List<SocketDescriptor> sockets) {}

  /** A service and its methods. */
  public record ServiceDescriptor(String name, List<MethodDescriptorView> methods) {}

  /** A method: its name within the service and its kind (UNARY, ...). */
  public record MethodDescriptorView(String name, String type) {}

  /**
   * A channel; {@code name} is its {@code grpc.client.channel.<name>} and {@code security}
   * ({@code tls} or {@code insecure}) how it connects, if Spring made it.
   */
  public record ChannelDescriptor(long id, @Nullable String name, String target,
      @Nullable String security, @Nullable String state,
      CallsDescriptor calls, List<TraceEventDescriptor> trace,
      List<SubchannelDescriptor> subchannels) {}

  /** A subchannel. */
  public record SubchannelDescriptor(long id, String addresses, @Nullable String state,
      CallsDescriptor calls, List<TraceEventDescriptor> trace, List<SocketDescriptor> sockets) {}

  /** A recent event of a channel or subchannel; {@code childId} names the subchannel it concerns. */
  public record TraceEventDescriptor(@Nullable Instant time, String severity,
      String description, @Nullable Long childId) {}

  /** Call counters. */
  public record CallsDescriptor(long started, long succeeded, long failed,
      @Nullable Instant lastCallStarted) {}

  /** A connection's TLS: version, cipher suite and the TLS implementation (JDK or OPENSSL). */
  public record TlsDescriptor(String protocol, String cipherSuite, String provider) {}

  /**
   * A connection: addresses, counters, connection-level flow-control windows, and its TLS (null
   * for plaintext).
   */
  public record SocketDescriptor(long id, @Nullable String local, @Nullable String remote,
      long streamsStarted, long streamsSucceeded, long streamsFailed, long messagesSent,
      long messagesReceived, long keepAlivesSent, @Nullable Instant lastLocalStreamCreated,
      @Nullable Instant lastRemoteStreamCreated, @Nullable Instant lastMessageSent,
      @Nullable Instant lastMessageReceived, @Nullable Long localFlowControlWindow,
      @Nullable Long remoteFlowControlWindow, @Nullable TlsDescriptor tls) {}
}
