package dev.grpcspring.channelz.service;

import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.channelz.ChannelzTestPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.server.Server;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.channelz.v1.Address;
import io.grpc.channelz.v1.Channel;
import io.grpc.channelz.v1.ChannelConnectivityState;
import io.grpc.channelz.v1.ChannelData;
import io.grpc.channelz.v1.ChannelTrace;
import io.grpc.channelz.v1.ChannelzGrpc;
import io.grpc.channelz.v1.GetChannelRequest;
import io.grpc.channelz.v1.GetServerRequest;
import io.grpc.channelz.v1.GetServerSocketsRequest;
import io.grpc.channelz.v1.GetServerSocketsResponse;
import io.grpc.channelz.v1.GetServersRequest;
import io.grpc.channelz.v1.GetSocketRequest;
import io.grpc.channelz.v1.GetSubchannelRequest;
import io.grpc.channelz.v1.GetTopChannelsRequest;
import io.grpc.channelz.v1.GetTopChannelsResponse;
import io.grpc.channelz.v1.ServerData;
import io.grpc.channelz.v1.Socket;
import io.grpc.channelz.v1.SocketData;
import io.grpc.channelz.v1.Subchannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Channelz counters after a known sequence of calls, read as grpc-java's channelz client reads
 * them from our {@code grpc.channelz.v1.Channelz} service (so the field numbers are checked too).
 * The channelz service runs on an admin server in a registry of its own, so reading does not move
 * the counters being read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChannelzServiceTest {
  private static final int SERVER_WINDOW = 2 * 1024 * 1024;
  private static final int CLIENT_CONN_WINDOW = 3 * 1024 * 1024;

  private final Channelz registry = new Channelz();
  private Server server;
  private Server admin;
  private ClientConn cc;
  private ManagedChannel javaChannel;
  private ChannelzGrpc.ChannelzBlockingStub channelz;

  @BeforeAll
  void setUp() throws Exception {
    server = Server.builder().address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .registerService(ChannelzTestPeer.service())
        .initialFlowControlWindow(SERVER_WINDOW)
        .channelz(registry)
        .build().start();
    admin = Server.builder().address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .registerService(new ChannelzService(registry))
        .channelz(new Channelz())
        .build().start();
    cc = ClientConn.dial("127.0.0.1:" + server.getPort(), DialOptions.newBuilder().insecure()
        .initialConnWindowSize(CLIENT_CONN_WINDOW).channelz(registry).build());
    ChannelzTestPeer.runKnownSequence(cc);
    javaChannel = Grpc.newChannelBuilderForAddress("127.0.0.1", admin.getPort(),
        InsecureChannelCredentials.create()).build();
    channelz = ChannelzGrpc.newBlockingStub(javaChannel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterAll
  void tearDown() throws Exception {
    if (javaChannel != null) {
      javaChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (cc != null) {
      cc.close();
    }
    if (server != null) {
      server.close();
    }
    if (admin != null) {
      admin.close();
    }
  }

  @Test
  void channelAndSubchannelCountEveryCall() throws Exception {
    GetTopChannelsResponse top = channelz.getTopChannels(GetTopChannelsRequest.getDefaultInstance());
    assertThat(top.getEnd()).isTrue();
    assertThat(top.getChannelList()).hasSize(1);
    Channel channel = top.getChannel(0);
    assertThat(channel.getRef().getChannelId()).isEqualTo(cc.channelz().id());
    ChannelData data = channel.getData();
    assertThat(data.getTarget()).isEqualTo("127.0.0.1:" + server.getPort());
    assertThat(data.getState().getState()).isEqualTo(ChannelConnectivityState.State.READY);
    // 3 OK; 2 INVALID_ARGUMENT, 1 CANCELLED, 1 UNIMPLEMENTED.
    assertThat(data.getCallsStarted()).isEqualTo(7);
    assertThat(data.getCallsSucceeded()).isEqualTo(3);
    assertThat(data.getCallsFailed()).isEqualTo(4);
    assertThat(data.getLastCallStartedTimestamp().getSeconds())
        .isBetween(System.currentTimeMillis() / 1000 - 60, System.currentTimeMillis() / 1000 + 1);
    assertThat(channel.getSubchannelRefList()).hasSize(1);

    Subchannel sub = channelz.getSubchannel(GetSubchannelRequest.newBuilder()
        .setSubchannelId(channel.getSubchannelRef(0).getSubchannelId()).build()).getSubchannel();
    assertThat(sub.getData().getState().getState()).isEqualTo(ChannelConnectivityState.State.READY);
    assertThat(sub.getData().getCallsStarted()).isEqualTo(7);
    assertThat(sub.getData().getCallsSucceeded()).isEqualTo(3);
    assertThat(sub.getData().getCallsFailed()).isEqualTo(4);
    assertThat(sub.getSocketRefList()).hasSize(1);
    assertThat(sub.getData().getTrace().getEventsList()).extracting(e -> e.getDescription())
        .contains("Subchannel state changed to CONNECTING", "Subchannel state changed to READY");

    ChannelTrace trace = data.getTrace();
    assertThat(trace.getNumEventsLogged()).isEqualTo(trace.getEventsCount());
    assertThat(trace.getEvents(0).getDescription()).startsWith("Channel created for target");
    assertThat(trace.getEventsList()).anySatisfy(e -> {
      assertThat(e.getDescription()).isEqualTo("Subchannel created");
      assertThat(e.getSubchannelRef().getSubchannelId())
          .isEqualTo(channel.getSubchannelRef(0).getSubchannelId());
    });
    assertThat(trace.getEventsList()).extracting(e -> e.getDescription())
        .contains("Channel state changed to READY")
        .anySatisfy(d -> assertThat(d).startsWith("Resolved 1 address(es)"));

    assertThat(channelz.getChannel(GetChannelRequest.newBuilder()
        .setChannelId(channel.getRef().getChannelId()).build()).getChannel()).isEqualTo(channel);
  }

  @Test
  void clientSocketCountsStreamsMessagesWindowsAndAddresses() throws Exception {
    long socketId = cc.channelz().subchannels().get(0).sockets().get(0).id();
    Socket socket = channelz.getSocket(GetSocketRequest.newBuilder().setSocketId(socketId).build())
        .getSocket();
    SocketData d = socket.getData();
    assertThat(d.getStreamsStarted()).isEqualTo(7);
    // END_STREAM received: 3 OK, 2 failed with trailers, 1 Trailers-Only UNIMPLEMENTED.
    assertThat(d.getStreamsSucceeded()).isEqualTo(6);
    assertThat(d.getStreamsFailed()).isEqualTo(1);
    assertThat(d.getMessagesSent()).isEqualTo(7); // 5 unary requests, 2 on the stream
    assertThat(d.getMessagesReceived()).isEqualTo(5); // 3 unary responses, 2 on the stream
    assertThat(d.getKeepAlivesSent()).isZero();
    assertThat(d.hasLastLocalStreamCreatedTimestamp()).isTrue();
    assertThat(d.hasLastRemoteStreamCreatedTimestamp()).isFalse();
    assertThat(d.hasLastMessageSentTimestamp()).isTrue();
    assertThat(d.hasLastMessageReceivedTimestamp()).isTrue();
    // What the server granted us (its 2 MiB connection window, less what we sent and it has
    // not yet given back), and what we granted it (our 3 MiB).
    assertThat(d.getLocalFlowControlWindow().getValue())
        .isBetween((long) SERVER_WINDOW - 64 * 1024, (long) SERVER_WINDOW);
    assertThat(d.getRemoteFlowControlWindow().getValue())
        .isBetween((long) CLIENT_CONN_WINDOW - 64 * 1024, (long) CLIENT_CONN_WINDOW);
    assertTcp(socket.getRemote(), server.getPort());
    assertThat(socket.getLocal().getTcpipAddress().getPort()).isPositive();

    Socket summary = channelz.getSocket(GetSocketRequest.newBuilder().setSocketId(socketId)
        .setSummary(true).build()).getSocket();
    assertThat(summary.hasLocal()).isFalse();
    assertThat(summary.getData().getStreamsStarted()).isEqualTo(7);
  }

  @Test
  void serverAndItsSocketCountEveryCall() throws Exception {
    io.grpc.channelz.v1.Server s = channelz.getServer(GetServerRequest.newBuilder()
        .setServerId(server.channelz().id()).build()).getServer();
    ServerData data = s.getData();
    // The server's side of a call may end a moment after the client saw it end.
    data = awaitServerCalls(s.getRef().getServerId(), 7);
    assertThat(data.getCallsSucceeded()).isEqualTo(3);
    assertThat(data.getCallsFailed()).isEqualTo(4);
    assertThat(data.hasLastCallStartedTimestamp()).isTrue();
    assertThat(s.getListenSocketList()).hasSize(1);
    Socket listen = channelz.getSocket(GetSocketRequest.newBuilder()
        .setSocketId(s.getListenSocket(0).getSocketId()).build()).getSocket();
    assertTcp(listen.getLocal(), server.getPort());
    assertThat(listen.hasRemote()).isFalse();

    GetServerSocketsResponse sockets = channelz.getServerSockets(GetServerSocketsRequest.newBuilder()
        .setServerId(s.getRef().getServerId()).build());
    assertThat(sockets.getEnd()).isTrue();
    assertThat(sockets.getSocketRefList()).hasSize(1);
    Socket socket = channelz.getSocket(GetSocketRequest.newBuilder()
        .setSocketId(sockets.getSocketRef(0).getSocketId()).build()).getSocket();
    SocketData d = socket.getData();
    assertThat(d.getStreamsStarted()).isEqualTo(7);
    // END_STREAM sent: 3 OK, 2 INVALID_ARGUMENT, 1 UNIMPLEMENTED; the cancelled one was reset.
    assertThat(d.getStreamsSucceeded()).isEqualTo(6);
    assertThat(d.getStreamsFailed()).isEqualTo(1);
    assertThat(d.getMessagesReceived()).isEqualTo(7);
    assertThat(d.getMessagesSent()).isEqualTo(5);
    assertThat(d.hasLastRemoteStreamCreatedTimestamp()).isTrue();
    assertThat(d.hasLastLocalStreamCreatedTimestamp()).isFalse();
    assertThat(d.getLocalFlowControlWindow().getValue())
        .isBetween((long) CLIENT_CONN_WINDOW - 64 * 1024, (long) CLIENT_CONN_WINDOW);
    assertThat(d.getRemoteFlowControlWindow().getValue())
        .isBetween((long) SERVER_WINDOW - 64 * 1024, (long) SERVER_WINDOW);
    assertTcp(socket.getLocal(), server.getPort());
    assertThat(socket.getRemote().getTcpipAddress().getPort())
        .isEqualTo(cc.channelz().subchannels().get(0).sockets().get(0).localAddress() instanceof
            InetSocketAddress a ? a.getPort() : -1);
  }

  @Test
  void pagesTopChannelsAndServersByAscendingId() throws Exception {
    Channelz paged = new Channelz();
    List<ClientConn> conns = new ArrayList<>();
    Server s1 = null;
    Server s2 = null;
    Server pagedAdmin = null;
    ManagedChannel ch = null;
    try {
      for (int i = 0; i < 5; i++) {
        conns.add(ClientConn.dial("127.0.0.1:" + (1000 + i),
            DialOptions.newBuilder().insecure().channelz(paged).build()));
      }
      s1 = Server.builder().port(0).channelz(paged).build().start();
      s2 = Server.builder().port(0).channelz(paged).build().start();
      pagedAdmin = Server.builder().port(0).registerService(new ChannelzService(paged))
          .channelz(new Channelz()).build().start();
      ch = Grpc.newChannelBuilderForAddress("127.0.0.1", pagedAdmin.getPort(),
          InsecureChannelCredentials.create()).build();
      ChannelzGrpc.ChannelzBlockingStub stub = ChannelzGrpc.newBlockingStub(ch);

      List<Long> seen = new ArrayList<>();
      long start = 0;
      List<Boolean> ends = new ArrayList<>();
      while (true) {
        GetTopChannelsResponse page = stub.getTopChannels(GetTopChannelsRequest.newBuilder()
            .setStartChannelId(start).setMaxResults(2).build());
        ends.add(page.getEnd());
        for (Channel c : page.getChannelList()) {
          seen.add(c.getRef().getChannelId());
        }
        if (page.getEnd()) {
          break;
        }
        start = page.getChannel(page.getChannelCount() - 1).getRef().getChannelId() + 1;
      }
      assertThat(ends).containsExactly(false, false, true);
      assertThat(seen).containsExactlyElementsOf(conns.stream().map(c -> c.channelz().id()).toList());
      assertThat(seen).isSorted();

      var servers = stub.getServers(GetServersRequest.newBuilder().setMaxResults(1).build());
      assertThat(servers.getEnd()).isFalse();
      assertThat(servers.getServer(0).getRef().getServerId()).isEqualTo(s1.channelz().id());
      servers = stub.getServers(GetServersRequest.newBuilder()
          .setStartServerId(s1.channelz().id() + 1).setMaxResults(1).build());
      assertThat(servers.getServer(0).getRef().getServerId()).isEqualTo(s2.channelz().id());
      assertThat(servers.getEnd()).isTrue();

      // Three connections to s1 (their channels report elsewhere), read two at a time.
      for (int i = 0; i < 3; i++) {
        ClientConn c = ClientConn.dial("127.0.0.1:" + s1.getPort(),
            DialOptions.newBuilder().insecure().channelz(new Channelz()).build());
        conns.add(c);
        awaitReady(c);
      }
      long s1Id = s1.channelz().id();
      awaitSockets(s1, 3);
      GetServerSocketsResponse first = stub.getServerSockets(GetServerSocketsRequest.newBuilder()
          .setServerId(s1Id).setMaxResults(2).build());
      assertThat(first.getSocketRefList()).hasSize(2);
      assertThat(first.getEnd()).isFalse();
      GetServerSocketsResponse second = stub.getServerSockets(GetServerSocketsRequest.newBuilder()
          .setServerId(s1Id).setMaxResults(2)
          .setStartSocketId(first.getSocketRef(1).getSocketId() + 1).build());
      assertThat(second.getSocketRefList()).hasSize(1);
      assertThat(second.getEnd()).isTrue();
      assertThat(second.getSocketRef(0).getSocketId())
          .isGreaterThan(first.getSocketRef(1).getSocketId());

      // A closed channel is gone; its id is not reused.
      long closedId = conns.get(0).channelz().id();
      conns.get(0).close();
      assertThatThrownBy(() -> stub.getChannel(GetChannelRequest.newBuilder()
          .setChannelId(closedId).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus()
              .getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND));
      ClientConn later = ClientConn.dial("127.0.0.1:999",
          DialOptions.newBuilder().insecure().channelz(paged).build());
      conns.add(later);
      assertThat(later.channelz().id()).isGreaterThan(pagedAdmin.channelz().id());
      assertThatThrownBy(() -> stub.getTopChannels(GetTopChannelsRequest.newBuilder()
          .setMaxResults(-1).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus()
              .getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT));
    } finally {
      for (ClientConn c : conns) {
        c.close();
      }
      if (ch != null) {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      for (Server s : new Server[] {s1, s2, pagedAdmin}) {
        if (s != null) {
          s.close();
        }
      }
    }
    assertThat(paged.topChannels(0, 0).items()).isEmpty();
    assertThat(paged.servers(0, 0).items()).isEmpty();
    assertThat(paged.sockets()).isEmpty();
  }

  @Test
  void unknownIdsAreNotFound() {
    for (Runnable r : List.<Runnable>of(
        () -> channelz.getChannel(GetChannelRequest.newBuilder().setChannelId(Long.MAX_VALUE).build()),
        () -> channelz.getSubchannel(GetSubchannelRequest.newBuilder().setSubchannelId(-5).build()),
        () -> channelz.getServer(GetServerRequest.newBuilder().setServerId(0).build()),
        () -> channelz.getSocket(GetSocketRequest.newBuilder().setSocketId(12345678).build()),
        () -> channelz.getServerSockets(GetServerSocketsRequest.newBuilder().setServerId(Long.MAX_VALUE - 1).build()))) {
      assertThatThrownBy(r::run).isInstanceOfSatisfying(StatusRuntimeException.class,
          e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND));
    }
  }

  private static void awaitReady(ClientConn c) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (c.getState(true) != dev.grpcspring.ConnectivityState.READY) {
      assertThat(System.nanoTime()).as("READY within 5 s").isLessThan(deadline);
      c.awaitStateChange(c.getState(false), Duration.ofMillis(100));
    }
  }

  private static void awaitSockets(Server s, int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (s.channelz().sockets().size() != n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(s.channelz().sockets()).hasSize(n);
  }

  private ServerData awaitServerCalls(long serverId, long ended) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      ServerData d = channelz.getServer(GetServerRequest.newBuilder().setServerId(serverId).build())
          .getServer().getData();
      assertThat(d.getCallsStarted()).isEqualTo(7);
      if (d.getCallsSucceeded() + d.getCallsFailed() == ended || System.nanoTime() > deadline) {
        return d;
      }
      Thread.sleep(20);
    }
  }

  private static void assertTcp(Address a, int port) {
    assertThat(a.hasTcpipAddress()).isTrue();
    assertThat(a.getTcpipAddress().getIpAddress().toByteArray())
        .isEqualTo(InetAddress.getLoopbackAddress().getAddress());
    assertThat(a.getTcpipAddress().getPort()).isEqualTo(port);
  }
}
