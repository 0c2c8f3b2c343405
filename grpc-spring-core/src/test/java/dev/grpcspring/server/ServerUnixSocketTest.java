package dev.grpcspring.server;

import static dev.grpcspring.server.EchoService.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.transport.NativeTransport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Our server and client over Unix domain sockets, on the native transport and on NIO. */
@Timeout(30)
class ServerUnixSocketTest {
  @TempDir
  Path dir;

  @Test
  void filesystemSocketOnTheDefaultTransport() throws Exception {
    Path sock = dir.resolve("echo.sock");
    Server server = Server.builder()
        .address(UnixDomainSocketAddress.of(sock))
        .registerService(new EchoService().definition())
        .build().start();
    try (ClientConn cc = ClientConn.dial("unix:" + sock, DialOptions.newBuilder().insecure().build())) {
      assertThat(server.getPort()).isEqualTo(-1);
      assertThat(cc.invoke(EchoService.UNARY, sv("uds"), CallOptions.DEFAULT).getValue())
          .isEqualTo("echo:uds");
    } finally {
      server.shutdownNow();
      assertThat(server.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void abstractSocketOnEpoll() throws Exception {
    assumeTrue(NativeTransport.isEpoll(), "the native epoll transport is not available here");
    String name = "grpc-spring-test-" + UUID.randomUUID();
    Server server = Server.builder()
        .address(new DomainSocketAddress("\0" + name))
        .registerService(new EchoService().definition())
        .build().start();
    try (ClientConn cc = ClientConn.dial("unix-abstract:" + name,
        DialOptions.newBuilder().insecure().build())) {
      assertThat(cc.invoke(EchoService.UNARY, sv("abstract"), CallOptions.DEFAULT).getValue())
          .isEqualTo("echo:abstract");
    } finally {
      server.shutdownNow();
      assertThat(server.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void nioGroupsServeAFilesystemSocketAndRefuseAnAbstractOneWithAClearError() throws Exception {
    EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    Path sock = dir.resolve("nio.sock");
    Server server = Server.builder()
        .address(new DomainSocketAddress(sock.toString()))
        .eventLoopGroups(nio, nio)
        .registerService(new EchoService().definition())
        .build().start();
    DialOptions nioDial = DialOptions.newBuilder().insecure()
        .eventLoopGroup(nio, NioSocketChannel.class)
        .connectBackoff(Duration.ofMillis(50), 1.6, 0.2, Duration.ofMillis(100))
        .build();
    try (ClientConn cc = ClientConn.dial("unix:" + sock, nioDial);
        ClientConn abstractCc = ClientConn.dial("unix-abstract:nowhere", nioDial)) {
      assertThat(cc.invoke(EchoService.UNARY, sv("nio"), CallOptions.DEFAULT).getValue())
          .isEqualTo("echo:nio");
      assertThatThrownBy(() -> abstractCc.invoke(EchoService.UNARY, sv("x"),
              CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS)))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isIn(Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED);
            assertThat(e.getMessage()).contains("Abstract Unix domain sockets").contains("epoll");
          });
    } finally {
      server.shutdownNow();
      assertThat(server.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
      nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
    assertThat(Files.exists(sock)).as("socket file removed at close").isFalse();
  }

  @Test
  void anAbstractListenAddressOnNioFailsToStartWithTheReason() {
    EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      ServerBuilder b = Server.builder()
          .address(new DomainSocketAddress("\0grpc-spring-nio-abstract"))
          .eventLoopGroups(nio, nio)
          .registerService(new EchoService().definition());
      assertThatThrownBy(() -> b.build().start())
          .isInstanceOf(java.io.IOException.class)
          .hasMessageContaining("Cannot listen on")
          .hasMessageContaining("epoll");
    } finally {
      nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
