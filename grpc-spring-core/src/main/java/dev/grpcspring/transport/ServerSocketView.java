package dev.grpcspring.transport;

import dev.grpcspring.channelz.FlowControlWindows;
import dev.grpcspring.channelz.SocketSecurity;
import dev.grpcspring.channelz.SocketStats;
import dev.grpcspring.channelz.SocketView;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Stream;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/** A server connection as channelz sees it; the windows are read on the connection's event loop. */
final class ServerSocketView implements SocketView {
  private final Http2Server handler;

  ServerSocketView(Http2Server handler) {
    this.handler = handler;
  }

  @Override
  public SocketStats stats() {
    return handler.stats();
  }

  @Override
  public @Nullable SocketAddress localAddress() {
    ChannelHandlerContext c = handler.ctxOrNull();
    return c == null ? null : c.channel().localAddress();
  }

  @Override
  public @Nullable SocketAddress remoteAddress() {
    ChannelHandlerContext c = handler.ctxOrNull();
    return c == null ? null : c.channel().remoteAddress();
  }

  @Override
  public Map<String, String> socketOptions() {
    ChannelHandlerContext c = handler.ctxOrNull();
    return c == null ? Map.of() : SocketOptions.of(c.channel());
  }

  @Override
  public @Nullable SocketSecurity security() {
    String provider = handler.tlsProvider();
    return provider == null ? null : TlsPipeline.security(handler.attributes(), provider);
  }

  @Override
  public CompletableFuture<FlowControlWindows> flowControlWindows() {
    ChannelHandlerContext c = handler.ctxOrNull();
    if (c == null || !c.channel().isActive()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<FlowControlWindows> f = new CompletableFuture<>();
    try {
      c.executor().execute(() -> {
        Http2Connection connection = handler.connection();
        Http2Stream conn = connection.connectionStream();
        f.complete(new FlowControlWindows(connection.remote().flowController().windowSize(conn),
            connection.local().flowController().windowSize(conn)));
      });
    } catch (RejectedExecutionException e) {
      f.complete(null); // the event loop has shut down: the connection is gone
    }
    return f;
  }
}
