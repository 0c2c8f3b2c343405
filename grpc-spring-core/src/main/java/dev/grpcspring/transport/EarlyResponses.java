package dev.grpcspring.transport;

import dev.grpcspring.protocol.GrpcHeaders;

import dev.grpcspring.Code;
import dev.grpcspring.Status;
import dev.grpcspring.protocol.PercentEncoding;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The answers a server connection gives to a request before any call exists for it: an HTTP error
 * status with a gRPC status, a Trailers-Only status, or RST_STREAM(PROTOCOL_ERROR) for a malformed
 * request. Each ends only its own stream. Event loop only.
 */
final class EarlyResponses {
  private static final Logger log = Logger.getLogger(EarlyResponses.class.getName());
  static final AsciiString STATUS_404 = AsciiString.cached("404");
  static final AsciiString STATUS_405 = AsciiString.cached("405");
  static final AsciiString STATUS_415 = AsciiString.cached("415");
  static final AsciiString STATUS_431 = AsciiString.cached("431");

  private final Http2Server handler;

  EarlyResponses(Http2Server handler) {
    this.handler = handler;
  }

  /** An HTTP error status, with a gRPC status for gRPC clients, ending the stream. */
  void httpError(Http2Stream stream, AsciiString httpStatus, Code code, String message) {
    writeFinalHeaders(stream, httpErrorHeaders(httpStatus, code, message, GrpcHeaders.CONTENT_TYPE_TEXT));
  }

  /** HTTP 431 + RESOURCE_EXHAUSTED for a header list over the limit (no RST follows). */
  void headersTooLarge(ChannelHandlerContext ctx, Http2Stream stream, int limit) {
    Http2Headers headers = httpErrorHeaders(STATUS_431, Code.RESOURCE_EXHAUSTED,
        "Request headers are larger than the server's limit of " + limit + " bytes",
        GrpcHeaders.CONTENT_TYPE_GRPC);
    handler.encoder().writeHeaders(ctx, stream.id(), headers, 0, true, ctx.newPromise());
  }

  /** A Trailers-Only response with {@code status}. */
  void trailersOnly(Http2Stream stream, Status status) {
    Http2Headers headers = new DefaultHttp2Headers(false);
    headers.status(GrpcHeaders.STATUS_OK);
    headers.add(GrpcHeaders.CONTENT_TYPE, GrpcHeaders.CONTENT_TYPE_GRPC);
    handler.addAcceptEncoding(headers);
    headers.add(GrpcHeaders.GRPC_STATUS, AsciiString.of(status.getCode().wireValue()));
    if (status.getDescription() != null) {
      headers.add(GrpcHeaders.GRPC_MESSAGE, PercentEncoding.encode(status.getDescription()));
    }
    writeFinalHeaders(stream, headers);
  }

  /**
   * RST_STREAM(PROTOCOL_ERROR) for a malformed request (RFC 9113 §8.1.1): a stream error, so the
   * other calls on the connection go on. DATA the client already sent for it is then dropped.
   */
  void malformed(Http2Stream stream, String problem) {
    ChannelHandlerContext ctx = handler.ctx();
    log.log(Level.FINE, "Resetting stream {0} on {1}: malformed request, {2}",
        new Object[] {stream.id(), ctx.channel(), problem});
    handler.resetStream(ctx, stream.id(), Http2Error.PROTOCOL_ERROR.code(), ctx.newPromise());
  }

  private static Http2Headers httpErrorHeaders(AsciiString httpStatus, Code code, String message,
      CharSequence contentType) {
    Http2Headers headers = new DefaultHttp2Headers(false);
    headers.status(httpStatus);
    headers.add(GrpcHeaders.CONTENT_TYPE, contentType);
    headers.add(GrpcHeaders.GRPC_STATUS, AsciiString.of(code.wireValue()));
    headers.add(GrpcHeaders.GRPC_MESSAGE, PercentEncoding.encode(message));
    return headers;
  }

  private void writeFinalHeaders(Http2Stream stream, Http2Headers headers) {
    ChannelHandlerContext ctx = handler.ctx();
    ChannelPromise promise = ctx.newPromise();
    promise.addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        handler.resetIfClientStillSending(stream);
      }
    });
    handler.encoder().writeHeaders(ctx, stream.id(), headers, 0, true, promise);
  }
}
