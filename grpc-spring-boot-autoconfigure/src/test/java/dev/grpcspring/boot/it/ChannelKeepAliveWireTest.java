package dev.grpcspring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.StatusException;
import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.client.GrpcChannelFactory;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code grpc.client.channel.<name>.keepalive.*} on the wire: a bare HTTP/2 server records the
 * channel's PINGs. The keepalive time cannot go below 10 s (gRFC A8), so this test takes that long.
 */
@Timeout(60)
class ChannelKeepAliveWireTest {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final BlockingQueue<Long> pings = new LinkedBlockingQueue<>();
  private Channel server;

  @BeforeEach
  void startServer() throws InterruptedException {
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            // Answers no call; only SETTINGS and PING ACKs, which Netty sends by itself.
            ch.pipeline().addLast(new Http2ConnectionHandlerBuilder().server(true)
                .frameListener(new Http2FrameAdapter() {
                  @Override
                  public void onPingRead(ChannelHandlerContext ctx, long data) {
                    pings.add(data);
                  }
                }).build());
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  @AfterEach
  void stopServer() {
    server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  @Test
  void keepaliveFromYamlInheritedFromDefaultSendsPingsWithoutCalls() {
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class))
        .withPropertyValues("grpc.client.channel.default.target=127.0.0.1:" + port,
            "grpc.client.channel.default.keepalive.time=10s",
            "grpc.client.channel.default.keepalive.timeout=5s",
            "grpc.client.channel.ka.keepalive.without-calls=true",
            "grpc.client.channel.ka.deadline=300ms")
        .run(ctx -> {
          GrpcChannelFactory channels = ctx.getBean(GrpcChannelFactory.class);
          // One call connects the channel (the server never answers it); then no call is open.
          assertThatThrownBy(() -> EchoServiceGrpc.newBlockingStub(channels.getChannel("ka",
                  List.of())).echo(EchoRequest.newBuilder().setText("x").build()))
              .isInstanceOf(StatusException.class);
          long start = System.nanoTime();
          Long ping = pings.poll(30, TimeUnit.SECONDS);
          assertThat(ping).as("keepalive PING").isNotNull();
          assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.SECONDS.toNanos(5));
        });
  }
}
