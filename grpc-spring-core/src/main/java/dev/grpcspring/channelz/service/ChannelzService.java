package dev.grpcspring.channelz.service;

import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import com.google.protobuf.Timestamp;
import dev.grpcspring.ConnectivityState;
import dev.grpcspring.Status;
import dev.grpcspring.channelz.CallCounters;
import dev.grpcspring.channelz.ChannelEntity;
import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.channelz.FlowControlWindows;
import dev.grpcspring.channelz.ServerEntity;
import dev.grpcspring.channelz.SocketEntity;
import dev.grpcspring.channelz.SocketSecurity;
import dev.grpcspring.channelz.SocketStats;
import dev.grpcspring.channelz.SubchannelEntity;
import dev.grpcspring.channelz.v1.Address;
import dev.grpcspring.channelz.v1.Channel;
import dev.grpcspring.channelz.v1.ChannelConnectivityState;
import dev.grpcspring.channelz.v1.ChannelData;
import dev.grpcspring.channelz.v1.ChannelRef;
import dev.grpcspring.channelz.v1.ChannelTrace;
import dev.grpcspring.channelz.v1.ChannelTraceEvent;
import dev.grpcspring.channelz.v1.ChannelzGrpc;
import dev.grpcspring.channelz.v1.GetChannelRequest;
import dev.grpcspring.channelz.v1.GetChannelResponse;
import dev.grpcspring.channelz.v1.GetServerRequest;
import dev.grpcspring.channelz.v1.GetServerResponse;
import dev.grpcspring.channelz.v1.GetServerSocketsRequest;
import dev.grpcspring.channelz.v1.GetServerSocketsResponse;
import dev.grpcspring.channelz.v1.GetServersRequest;
import dev.grpcspring.channelz.v1.GetServersResponse;
import dev.grpcspring.channelz.v1.GetSocketRequest;
import dev.grpcspring.channelz.v1.GetSocketResponse;
import dev.grpcspring.channelz.v1.GetSubchannelRequest;
import dev.grpcspring.channelz.v1.GetSubchannelResponse;
import dev.grpcspring.channelz.v1.GetTopChannelsRequest;
import dev.grpcspring.channelz.v1.GetTopChannelsResponse;
import dev.grpcspring.channelz.v1.Security;
import dev.grpcspring.channelz.v1.Server;
import dev.grpcspring.channelz.v1.ServerData;
import dev.grpcspring.channelz.v1.ServerRef;
import dev.grpcspring.channelz.v1.Socket;
import dev.grpcspring.channelz.v1.SocketData;
import dev.grpcspring.channelz.v1.SocketOption;
import dev.grpcspring.channelz.v1.SocketRef;
import dev.grpcspring.channelz.v1.Subchannel;
import dev.grpcspring.channelz.v1.SubchannelRef;
import dev.grpcspring.stub.StreamObserver;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code grpc.channelz.v1.Channelz} service over a {@link Channelz} registry. Register it on a
 * server to let tools (grpcdebug, channelz UIs) look inside the process. It shows what the process
 * is connected to, so serve it only where that is acceptable (an admin port, say).
 */
public final class ChannelzService extends ChannelzGrpc.ChannelzImplBase {
  /** How long a socket query waits for the connection's event loop to read the windows. */
  private static final Duration WINDOW_READ_TIMEOUT = Duration.ofSeconds(1);

  private final Channelz channelz;

  /** Serves the process-wide registry. */
  public ChannelzService() {
    this(Channelz.getDefault());
  }

  /** Serves {@code channelz}. */
  public ChannelzService(Channelz channelz) {
    this.channelz = Objects.requireNonNull(channelz, "channelz");
  }

  @Override
  public void getTopChannels(GetTopChannelsRequest request,
      StreamObserver<GetTopChannelsResponse> responseObserver) {
    Channelz.Page<ChannelEntity> page;
    try {
      page = channelz.topChannels(request.getStartChannelId(), request.getMaxResults());
    } catch (IllegalArgumentException e) {
      responseObserver.onError(invalid(e));
      return;
    }
    GetTopChannelsResponse.Builder b = GetTopChannelsResponse.newBuilder().setEnd(page.end());
    for (ChannelEntity c : page.items()) {
      b.addChannel(toProto(c));
    }
    respond(responseObserver, b.build());
  }

  @Override
  public void getServers(GetServersRequest request,
      StreamObserver<GetServersResponse> responseObserver) {
    Channelz.Page<ServerEntity> page;
    try {
      page = channelz.servers(request.getStartServerId(), request.getMaxResults());
    } catch (IllegalArgumentException e) {
      responseObserver.onError(invalid(e));
      return;
    }
    GetServersResponse.Builder b = GetServersResponse.newBuilder().setEnd(page.end());
    for (ServerEntity s : page.items()) {
      b.addServer(toProto(s));
    }
    respond(responseObserver, b.build());
  }

  @Override
  public void getServer(GetServerRequest request,
      StreamObserver<GetServerResponse> responseObserver) {
    ServerEntity s = channelz.server(request.getServerId());
    if (s == null) {
      responseObserver.onError(notFound("server", request.getServerId()));
      return;
    }
    respond(responseObserver, GetServerResponse.newBuilder().setServer(toProto(s)).build());
  }

  @Override
  public void getServerSockets(GetServerSocketsRequest request,
      StreamObserver<GetServerSocketsResponse> responseObserver) {
    ServerEntity s = channelz.server(request.getServerId());
    if (s == null) {
      responseObserver.onError(notFound("server", request.getServerId()));
      return;
    }
    Channelz.Page<SocketEntity> page;
    try {
      page = channelz.serverSockets(s, request.getStartSocketId(), request.getMaxResults());
    } catch (IllegalArgumentException e) {
      responseObserver.onError(invalid(e));
      return;
    }
    GetServerSocketsResponse.Builder b = GetServerSocketsResponse.newBuilder().setEnd(page.end());
    for (SocketEntity so : page.items()) {
      b.addSocketRef(ref(so));
    }
    respond(responseObserver, b.build());
  }

  @Override
  public void getChannel_(GetChannelRequest request,
      StreamObserver<GetChannelResponse> responseObserver) {
    ChannelEntity c = channelz.channel(request.getChannelId());
    if (c == null) {
      responseObserver.onError(notFound("channel", request.getChannelId()));
      return;
    }
    respond(responseObserver, GetChannelResponse.newBuilder().setChannel(toProto(c)).build());
  }

  @Override
  public void getSubchannel(GetSubchannelRequest request,
      StreamObserver<GetSubchannelResponse> responseObserver) {
    SubchannelEntity s = channelz.subchannel(request.getSubchannelId());
    if (s == null) {
      responseObserver.onError(notFound("subchannel", request.getSubchannelId()));
      return;
    }
    respond(responseObserver,
        GetSubchannelResponse.newBuilder().setSubchannel(toProto(s)).build());
  }

  @Override
  public void getSocket(GetSocketRequest request,
      StreamObserver<GetSocketResponse> responseObserver) {
    SocketEntity s = channelz.socket(request.getSocketId());
    if (s == null) {
      responseObserver.onError(notFound("socket", request.getSocketId()));
      return;
    }
    respond(responseObserver,
        GetSocketResponse.newBuilder().setSocket(toProto(s, request.getSummary())).build());
  }

  // ---- conversion (public so that other exporters can reuse it) ----

  /** A channel as channelz's message. */
  public static Channel toProto(ChannelEntity c) {
    Channel.Builder b = Channel.newBuilder()
        .setRef(ChannelRef.newBuilder().setChannelId(c.id()).setName(c.name()))
        .setData(channelData(c.target(), c.state(), c.calls(), c.createdMillis(), c.trace()));
    for (SubchannelEntity s : c.subchannels()) {
      b.addSubchannelRef(ref(s));
    }
    return b.build();
  }

  /** A subchannel as channelz's message. */
  public static Subchannel toProto(SubchannelEntity s) {
    Subchannel.Builder b = Subchannel.newBuilder()
        .setRef(ref(s))
        .setData(channelData(s.addresses(), s.state(), s.calls(), s.createdMillis(), s.trace()));
    for (SocketEntity so : s.sockets()) {
      b.addSocketRef(ref(so));
    }
    return b.build();
  }

  /** A server as channelz's message. */
  public static Server toProto(ServerEntity s) {
    CallCounters calls = s.calls();
    ServerData.Builder data = ServerData.newBuilder()
        .setTrace(ChannelTrace.newBuilder().setCreationTimestamp(timestamp(s.createdMillis())))
        .setCallsStarted(calls.callsStarted())
        .setCallsSucceeded(calls.callsSucceeded())
        .setCallsFailed(calls.callsFailed());
    if (calls.lastCallStartedMillis() != 0) {
      data.setLastCallStartedTimestamp(timestamp(calls.lastCallStartedMillis()));
    }
    Server.Builder b = Server.newBuilder()
        .setRef(ServerRef.newBuilder().setServerId(s.id()).setName(s.name()))
        .setData(data);
    for (SocketEntity so : s.listenSockets()) {
      b.addListenSocket(ref(so));
    }
    return b.build();
  }

  /**
   * A socket as channelz's message; {@code summary} leaves out everything but the counters. Reads
   * the flow-control windows on the connection's event loop, waiting up to a second.
   */
  public static Socket toProto(SocketEntity s, boolean summary) {
    SocketStats st = s.stats();
    SocketData.Builder data = SocketData.newBuilder()
        .setStreamsStarted(st.streamsStarted())
        .setStreamsSucceeded(st.streamsSucceeded())
        .setStreamsFailed(st.streamsFailed())
        .setMessagesSent(st.messagesSent())
        .setMessagesReceived(st.messagesReceived())
        .setKeepAlivesSent(st.keepAlivesSent());
    setIfSet(st.lastLocalStreamCreatedMillis(), data::setLastLocalStreamCreatedTimestamp);
    setIfSet(st.lastRemoteStreamCreatedMillis(), data::setLastRemoteStreamCreatedTimestamp);
    setIfSet(st.lastMessageSentMillis(), data::setLastMessageSentTimestamp);
    setIfSet(st.lastMessageReceivedMillis(), data::setLastMessageReceivedTimestamp);
    FlowControlWindows w = s.flowControlWindows(WINDOW_READ_TIMEOUT);
    if (w != null) {
      data.setLocalFlowControlWindow(Int64Value.of(w.local()));
      data.setRemoteFlowControlWindow(Int64Value.of(w.remote()));
    }
    Socket.Builder b = Socket.newBuilder().setRef(ref(s)).setData(data);
    if (!summary) {
      SocketAddress local = s.localAddress();
      SocketAddress remote = s.remoteAddress();
      if (local != null) {
        b.setLocal(address(local));
      }
      if (remote != null) {
        b.setRemote(address(remote));
      }
      s.socketOptions().forEach((name, value) ->
          data.addOption(SocketOption.newBuilder().setName(name).setValue(value)));
      b.setData(data);
      SocketSecurity sec = s.security();
      if (sec != null) {
        b.setSecurity(security(sec));
        data.addOption(SocketOption.newBuilder().setName("tls-provider").setValue(sec.provider()));
        data.addOption(SocketOption.newBuilder().setName("tls-protocol").setValue(sec.protocol()));
        b.setData(data);
      }
    }
    return b.build();
  }

  /** A connection's TLS as channelz's message: cipher suite and both leaf certificates. */
  public static Security security(SocketSecurity sec) {
    Security.Tls.Builder tls = Security.Tls.newBuilder().setStandardName(sec.cipherSuite());
    if (sec.localCertificate() != null) {
      tls.setLocalCertificate(ByteString.copyFrom(sec.localCertificate()));
    }
    if (sec.remoteCertificate() != null) {
      tls.setRemoteCertificate(ByteString.copyFrom(sec.remoteCertificate()));
    }
    return Security.newBuilder().setTls(tls).build();
  }

  /** An address as channelz's message: TCP/IP, Unix domain socket, or other (by name). */
  public static Address address(SocketAddress a) {
    if (a instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return Address.newBuilder().setTcpipAddress(Address.TcpIpAddress.newBuilder()
          .setIpAddress(ByteString.copyFrom(inet.getAddress().getAddress()))
          .setPort(inet.getPort())).build();
    }
    if (a instanceof UnixDomainSocketAddress uds) {
      return Address.newBuilder().setUdsAddress(
          Address.UdsAddress.newBuilder().setFilename(uds.getPath().toString())).build();
    }
    if (a instanceof DomainSocketAddress dsa) {
      return Address.newBuilder().setUdsAddress(
          Address.UdsAddress.newBuilder().setFilename(dsa.path())).build();
    }
    return Address.newBuilder().setOtherAddress(
        Address.OtherAddress.newBuilder().setName(String.valueOf(a))).build();
  }

  /** A connectivity state as channelz's enum. */
  public static ChannelConnectivityState.State state(ConnectivityState s) {
    if (s == null) {
      return ChannelConnectivityState.State.UNKNOWN;
    }
    return switch (s) {
      case IDLE -> ChannelConnectivityState.State.IDLE;
      case CONNECTING -> ChannelConnectivityState.State.CONNECTING;
      case READY -> ChannelConnectivityState.State.READY;
      case TRANSIENT_FAILURE -> ChannelConnectivityState.State.TRANSIENT_FAILURE;
      case SHUTDOWN -> ChannelConnectivityState.State.SHUTDOWN;
    };
  }

  private static ChannelData channelData(String target, ConnectivityState state,
      CallCounters calls, long createdMillis, dev.grpcspring.channelz.ChannelTrace trace) {
    ChannelTrace.Builder t = ChannelTrace.newBuilder()
        .setCreationTimestamp(timestamp(createdMillis))
        .setNumEventsLogged(trace.numEventsLogged());
    for (dev.grpcspring.channelz.ChannelTrace.Event e : trace.events()) {
      ChannelTraceEvent.Builder ev = ChannelTraceEvent.newBuilder()
          .setDescription(e.description())
          .setSeverity(switch (e.severity()) {
            case INFO -> ChannelTraceEvent.Severity.CT_INFO;
            case WARNING -> ChannelTraceEvent.Severity.CT_WARNING;
            case ERROR -> ChannelTraceEvent.Severity.CT_ERROR;
          })
          .setTimestamp(timestamp(e.timestampMillis()));
      if (e.child() instanceof SubchannelEntity sc) {
        ev.setSubchannelRef(ref(sc));
      } else if (e.child() instanceof ChannelEntity ch) {
        ev.setChannelRef(ChannelRef.newBuilder().setChannelId(ch.id()).setName(ch.name()));
      }
      t.addEvents(ev);
    }
    ChannelData.Builder b = ChannelData.newBuilder()
        .setState(ChannelConnectivityState.newBuilder().setState(state(state)))
        .setTarget(target)
        .setTrace(t)
        .setCallsStarted(calls.callsStarted())
        .setCallsSucceeded(calls.callsSucceeded())
        .setCallsFailed(calls.callsFailed());
    if (calls.lastCallStartedMillis() != 0) {
      b.setLastCallStartedTimestamp(timestamp(calls.lastCallStartedMillis()));
    }
    return b.build();
  }

  private static SubchannelRef ref(SubchannelEntity s) {
    return SubchannelRef.newBuilder().setSubchannelId(s.id()).setName(s.name()).build();
  }

  private static SocketRef ref(SocketEntity s) {
    return SocketRef.newBuilder().setSocketId(s.id()).setName(s.name()).build();
  }

  private static void setIfSet(long millis, java.util.function.Consumer<Timestamp> setter) {
    if (millis != 0) {
      setter.accept(timestamp(millis));
    }
  }

  private static Timestamp timestamp(long millis) {
    return Timestamp.newBuilder().setSeconds(Math.floorDiv(millis, 1000))
        .setNanos((int) Math.floorMod(millis, 1000) * 1_000_000).build();
  }

  private static <T> void respond(StreamObserver<T> observer, T response) {
    observer.onNext(response);
    observer.onCompleted();
  }

  private static Throwable notFound(String kind, long id) {
    return Status.NOT_FOUND.withDescription("No " + kind + " with id " + id
        + " (it may have closed); list them with GetTopChannels or GetServers").asException();
  }

  private static Throwable invalid(IllegalArgumentException e) {
    return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException();
  }
}
