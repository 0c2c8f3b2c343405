package dev.grpcspring.server;

import static dev.grpcspring.server.EchoService.sv;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.channelz.Channelz;
import dev.grpcspring.channelz.SocketEntity;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.inprocess.InProcessSocketAddress;
import dev.grpcspring.stub.ClientCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A server listening in-process: no socket, no event loops, next to network addresses if asked. */
class ServerInProcessTest {
  @Test
  void inProcessOnlyServerOpensNoSocketAndCreatesNoEventLoops() throws Exception {
    Set<String> listeningBefore = listeningSockets();
    Set<String> loopThreadsBefore = serverLoopThreads();
    String name = "no-socket-" + UUID.randomUUID();
    Server server = Server.builder().inProcessName(name)
        .registerService(new EchoService().definition()).build();
    assertThat(server.hasEventLoopGroups()).isFalse();
    server.start();
    ClientConn cc = ClientConn.dial("in-process:" + name, DialOptions.newBuilder().insecure().build());
    try {
      assertThat(cc.invoke(EchoService.UNARY, sv("hello"), CallOptions.DEFAULT).getValue())
          .isEqualTo("echo:hello");
      assertThat(server.getListenAddresses()).containsExactly(new InProcessSocketAddress(name));
      assertThat(server.getPort()).isEqualTo(-1);
      assertThat(server.hasEventLoopGroups()).isFalse();
      Set<String> newListening = new HashSet<>(listeningSockets());
      newListening.removeAll(listeningBefore);
      assertThat(newListening).as("listening sockets the server opened").isEmpty();
      Set<String> newLoops = new HashSet<>(serverLoopThreads());
      newLoops.removeAll(loopThreadsBefore);
      assertThat(newLoops).as("server event loop threads").isEmpty();
    } finally {
      cc.close();
      server.shutdownNow();
    }
    assertThat(server.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void inProcessNameWorksAlongsideATcpPort() throws Exception {
    String name = "both-" + UUID.randomUUID();
    Channelz channelz = new Channelz();
    Server server = Server.builder().port(0).inProcessName(name).channelz(channelz)
        .registerService(new EchoService().definition()).build().start();
    ClientConn tcp = ClientConn.dial("localhost:" + server.getPort(),
        DialOptions.newBuilder().insecure().build());
    ClientConn local = ClientConn.dial("in-process:" + name, DialOptions.newBuilder().insecure().build());
    try {
      assertThat(server.hasEventLoopGroups()).isTrue();
      assertThat(server.getListenAddresses()).hasSize(2)
          .anySatisfy(a -> assertThat(a).isInstanceOf(InetSocketAddress.class))
          .contains(new InProcessSocketAddress(name));
      assertThat(tcp.invoke(EchoService.UNARY, sv("tcp"), CallOptions.DEFAULT).getValue()).isEqualTo("echo:tcp");
      assertThat(local.invoke(EchoService.UNARY, sv("local"), CallOptions.DEFAULT).getValue())
          .isEqualTo("echo:local");

      // channelz sees the in-process listener and connection like the TCP ones.
      assertThat(server.channelz().listenSockets()).extracting(SocketEntity::localAddress)
          .contains(new InProcessSocketAddress(name));
      assertThat(server.channelz().sockets()).extracting(SocketEntity::remoteAddress)
          .contains(new InProcessSocketAddress(name));
      SocketEntity inProcessSocket = server.channelz().sockets().stream()
          .filter(s -> s.remoteAddress() instanceof InProcessSocketAddress).findFirst().orElseThrow();
      assertThat(inProcessSocket.stats().streamsStarted()).isEqualTo(1);
      assertThat(inProcessSocket.stats().messagesReceived()).isEqualTo(1);
      // The server counts a call once its trailers are out, so the client can see the end first.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.channelz().calls().callsSucceeded() < 2 && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertThat(server.channelz().calls().callsSucceeded()).isEqualTo(2);
    } finally {
      tcp.close();
      local.close();
      server.shutdownNow();
    }
    assertThat(server.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void directExecutorsOnBothSidesWork() throws Exception {
    String name = "direct-" + UUID.randomUUID();
    Server server = Server.builder().inProcessName(name).directExecutor()
        .registerService(new EchoService().definition()).build().start();
    ClientConn cc = ClientConn.dial("in-process:" + name,
        DialOptions.newBuilder().insecure().executor(Runnable::run).build());
    try {
      assertThat(cc.invoke(EchoService.UNARY, sv("direct"), CallOptions.DEFAULT).getValue())
          .isEqualTo("echo:direct");
      Iterator<StringValue> it = ClientCalls.blockingServerStreamingCall(cc,
          EchoService.SERVER_STREAMING, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
          sv("3"));
      List<String> got = new ArrayList<>();
      it.forEachRemaining(v -> got.add(v.getValue()));
      assertThat(got).isNotEmpty();
    } finally {
      cc.close();
      server.shutdownNow();
    }
    assertThat(server.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** The inodes of this process's listening TCP and Unix sockets (Linux /proc). */
  private static Set<String> listeningSockets() throws IOException {
    Set<String> listening = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (!Files.exists(p)) {
        continue;
      }
      for (String line : Files.readAllLines(p)) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && f[3].equals("0A")) { // TCP_LISTEN
          listening.add(f[9]);
        }
      }
    }
    Path unix = Path.of("/proc/net/unix");
    if (Files.exists(unix)) {
      for (String line : Files.readAllLines(unix)) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 6 && f[3].equals("00010000")) { // __SO_ACCEPTCON
          listening.add(f[6]);
        }
      }
    }
    Set<String> mine = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      fds.forEach(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            mine.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // The descriptor closed while listing: not a socket of ours any more.
        }
      });
    }
    mine.retainAll(listening);
    return mine;
  }

  private static Set<String> serverLoopThreads() {
    Set<String> names = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("grpc-server-boss-") || t.getName().startsWith("grpc-server-worker-")) {
        names.add(t.getName());
      }
    }
    return names;
  }
}
