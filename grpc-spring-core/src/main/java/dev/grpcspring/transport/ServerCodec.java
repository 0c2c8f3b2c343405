package dev.grpcspring.transport;

import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.DefaultHttp2LocalFlowController;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;

/**
 * Assembles a server connection's HTTP/2 codec: flow controllers, the request header decoder
 * ({@link RequestHeaders}), the encoder wrapped in its flood limits ({@link ServerFrameGuard}),
 * keepalive enforcement, and the SETTINGS we announce.
 */
final class ServerCodec {
  private static final int STREAM_MIN_ALLOCATION_CHUNK = 16 * 1024;

  private ServerCodec() {}

  static Http2Server newHandler(ServerTransportListener listener,
      ServerTransportConfig config) {
    Http2Connection connection = new DefaultHttp2Connection(true);
    // Window updates only once half the window is consumed, and only for consumed bytes.
    connection.local().flowController(
        new DefaultHttp2LocalFlowController(connection, 0.5f, true));
    UniformStreamByteDistributor distributor = new UniformStreamByteDistributor(connection);
    distributor.minAllocationChunk(STREAM_MIN_ALLOCATION_CHUNK);
    connection.remote().flowController(
        new DefaultHttp2RemoteFlowController(connection, distributor));

    // Decoded without Netty's checks: RequestHeaders makes a malformed request a stream error.
    DefaultHttp2HeadersDecoder headersDecoder = RequestHeaders.decoder(config.maxHeaderListSize());
    try {
      headersDecoder.maxHeaderListSize(config.maxHeaderListSize(),
          goAwayHeaderListSize(config.maxHeaderListSize()));
    } catch (Http2Exception e) {
      throw new IllegalArgumentException("Bad max header list size " + config.maxHeaderListSize(), e);
    }
    // Huffman off for what we send: CPU over bytes, as grpc-java does.
    DefaultHttp2HeadersEncoder headersEncoder = new DefaultHttp2HeadersEncoder(
        Http2HeadersEncoder.NEVER_SENSITIVE, false, 16, Integer.MAX_VALUE);
    ServerConnectionPolicy policy = config.policy();
    KeepAliveEnforcer enforcer = new KeepAliveEnforcer(
        policy.permitKeepAliveWithoutCalls(), policy.permitKeepAliveTimeNanos());
    ServerFrameGuard encoder = new ServerFrameGuard(
        new DefaultHttp2ConnectionEncoder(connection,
            new DataWriteMonitor(new DefaultHttp2FrameWriter(headersEncoder), enforcer)),
        policy, System::nanoTime);
    Http2ConnectionDecoder decoder = new DefaultHttp2ConnectionDecoder(connection, encoder,
        new DefaultHttp2FrameReader(headersDecoder, policy.maxSmallContinuationFrames())) {
      @Override
      protected long calculateMaxHeaderListSizeGoAway(long maxHeaderListSize) {
        return goAwayHeaderListSize(maxHeaderListSize);
      }
    };
    Http2Settings settings = new Http2Settings()
        .initialWindowSize(config.initialWindowSize())
        .maxConcurrentStreams(config.maxConcurrentStreams())
        .maxHeaderListSize(config.maxHeaderListSize());
    return new Http2Server(decoder, encoder, settings, listener, config, enforcer, headersEncoder);
  }

  /**
   * Header lists past the limit get HTTP 431 on their stream; only far larger ones (4x, at least
   * 64 KiB) are treated as abuse and close the connection, so one bad call does not hurt others.
   */
  private static long goAwayHeaderListSize(long max) {
    return Math.max(max * 4, max + 64 * 1024);
  }
}
