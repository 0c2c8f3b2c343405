package dev.grpcspring.transport;

import dev.grpcspring.Status;
import dev.grpcspring.codec.CompressorRegistry;
import dev.grpcspring.protocol.GrpcHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server connection ({@link Http2Server}) on an {@link EmbeddedChannel}, with a client side that
 * is only a context for Netty's frame writer and reader: for tests that look at which frames a
 * server connection writes, and when. Nothing runs until the test feeds the server bytes.
 */
final class EmbeddedHttp2Server implements AutoCloseable {
  static final ServerTransportConfig CONFIG = new ServerTransportConfig(1024 * 1024, 8192, 100,
      1024 * 1024, false, TimeUnit.SECONDS.toNanos(10), CompressorRegistry.getDefaultInstance(),
      ServerConnectionPolicy.DEFAULT);

  final EmbeddedChannel server = new EmbeddedChannel();
  final Http2Server handler;
  /** Writes the client's frames; {@link #clientBytes} collects them. */
  final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
  private final EmbeddedChannel client = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  private final List<ByteBuf> toRelease = new ArrayList<>();

  /**
   * A server connection for {@code listener} behind the handlers {@code inFront} (a flush counter,
   * say); the preface the server writes at once is read and dropped.
   */
  EmbeddedHttp2Server(ServerTransportListener listener, ChannelHandler... inFront) {
    handler = Http2Server.create(listener, CONFIG);
    server.pipeline().addLast(inFront);
    server.pipeline().addLast(handler);
    serverBytes();
  }

  /** The client's context, for {@link #writer}. */
  ChannelHandlerContext clientCtx() {
    return client.pipeline().firstContext();
  }

  /** The Request-Headers of a call to {@code /test.Echo/Call}. */
  static Http2Headers request() {
    return new DefaultHttp2Headers()
        .method("POST").scheme("http").path("/test.Echo/Call").authority("localhost")
        .add(GrpcHeaders.CONTENT_TYPE, GrpcHeaders.CONTENT_TYPE_GRPC)
        .add(GrpcHeaders.TE, GrpcHeaders.TE_TRAILERS);
  }

  /**
   * What {@link #writer} wrote since the last call, as one buffer for the server to read, after
   * the client connection preface when {@code preface}.
   */
  ByteBuf clientBytes(boolean preface) {
    client.flush();
    ByteBuf all = Unpooled.buffer();
    if (preface) {
      all.writeBytes(Http2CodecUtil.connectionPrefaceBuf());
    }
    for (Object o; (o = client.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) o;
      all.writeBytes(b);
      b.release();
    }
    return all;
  }

  /** What the server wrote since the last call, one array per buffer it wrote. */
  List<byte[]> serverWrites() {
    List<byte[]> writes = new ArrayList<>();
    for (Object o; (o = server.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) o;
      writes.add(ByteBufUtil.getBytes(b));
      b.release();
    }
    return writes;
  }

  /** What the server wrote since the last call, as one buffer (released by {@link #close}). */
  ByteBuf serverBytes() {
    ByteBuf all = Unpooled.wrappedBuffer(serverWrites().toArray(new byte[0][]));
    toRelease.add(all);
    return all;
  }

  /**
   * Reads every frame in {@code bytes} (frames the server wrote, no preface) into {@code listener},
   * with one HPACK decoder for all of them and header lists of up to 1 MiB.
   */
  void readFrames(ByteBuf bytes, Http2FrameListener listener) throws Exception {
    try (DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(
        new DefaultHttp2HeadersDecoder(true, 1 << 20))) {
      while (bytes.isReadable()) {
        reader.readFrame(clientCtx(), bytes, listener);
      }
    }
  }

  /** A stream listener for tests that answer from {@code onMessage}: the other events do nothing. */
  abstract static class MessageListener implements ServerStreamListener {
    @Override
    public void onHalfClose() {}

    @Override
    public void onClose(Status status) {}

    @Override
    public void onReady() {}
  }

  /** A transport listener for tests that only handle streams. */
  abstract static class StreamHandler implements ServerTransportListener {
    @Override
    public void transportTerminated() {}
  }

  @Override
  public void close() {
    toRelease.forEach(ByteBuf::release);
    server.finishAndReleaseAll();
    client.finishAndReleaseAll();
  }
}
