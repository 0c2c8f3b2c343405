package dev.grpcspring.transport;

import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import io.netty.buffer.ByteBuf;

/**
 * Receives what happens on one client stream. Every method runs on the connection's event loop, so
 * implementations must only hand the work on (to the call's executor), never block or run
 * application code.
 */
public interface ClientStreamListener {
  /** The Response-Headers arrived (not called for Trailers-Only). */
  void onHeaders(Metadata headers);

  /**
   * One response message, already deframed and decompressed, delivered only as requested through
   * {@link Http2ClientStream#request}. The listener owns {@code message} and must release it.
   */
  void onMessage(ByteBuf message);

  /** The stream can take more messages without buffering beyond the transport's threshold. */
  void onReady();

  /**
   * The stream ended; called exactly once, after every message that was delivered.
   *
   * @param progress how far the request got, which tells whether it may be retried transparently
   */
  void onClose(Status status, Metadata trailers, RpcProgress progress);

  /** How far a stream got before it closed, for transparent retry (gRFC A6). */
  enum RpcProgress {
    /** The server may have seen the request; only a configured retry policy may retry it. */
    PROCESSED,
    /**
     * The server never processed it: refused (REFUSED_STREAM), above a GOAWAY's last stream id,
     * or never written because the connection went away. Safe to retry transparently.
     */
    REFUSED
  }
}
