package dev.grpcspring.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DecoratingHttp2FrameWriter;
import io.netty.handler.codec.http2.Http2FrameWriter;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * The server's frame writer, which tells the {@link KeepAliveEnforcer} when HEADERS or DATA
 * frames really go out. Why here and not in the encoder: the encoder sees a large response once,
 * when it enters the flow controller, and the frames then leave over many window updates; a
 * client's BDP pings during that time answer data we are sending and must not count as strikes
 * (they did, over TLS, for 1 MiB responses). grpc-java watches the frame writer for the same
 * reason. Event loop only.
 */
final class DataWriteMonitor extends DecoratingHttp2FrameWriter {
  private final KeepAliveEnforcer enforcer;

  DataWriteMonitor(Http2FrameWriter delegate, KeepAliveEnforcer enforcer) {
    super(delegate);
    this.enforcer = enforcer;
  }

  @Override
  public ChannelFuture writeData(ChannelHandlerContext ctx, int streamId, ByteBuf data,
      int padding, boolean endStream, ChannelPromise promise) {
    enforcer.resetCounters();
    return super.writeData(ctx, streamId, data, padding, endStream, promise);
  }

  @Override
  public ChannelFuture writeHeaders(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
      int padding, boolean endStream, ChannelPromise promise) {
    enforcer.resetCounters();
    return super.writeHeaders(ctx, streamId, headers, padding, endStream, promise);
  }

  @Override
  public ChannelFuture writeHeaders(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
      int streamDependency, short weight, boolean exclusive, int padding, boolean endStream,
      ChannelPromise promise) {
    enforcer.resetCounters();
    return super.writeHeaders(ctx, streamId, headers, streamDependency, weight, exclusive, padding,
        endStream, promise);
  }
}
