package dev.grpcspring.transport;

import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import io.netty.buffer.ByteBuf;

/**
 * Receives what happens on one client stream. Methods are called one at a time, on the connection's
 * event loop (HTTP/2) or on whichever thread drives an in-process stream, so implementations must
 * only hand the work on (to the call's executor), never block or run application code.
 */
public interface ClientStreamListener {
  /** The Response-Headers arrived (not called for Trailers-Only). */
  void onHeaders(Metadata headers);

  /**
   * One response message, already deframed and decompressed, delivered only as requested through
   * {@link ClientTransportStream#request}. The listener owns {@code message} and must release it.
   */
  void onMessage(ByteBuf message);

  /**
   * Like {@link #onMessage(ByteBuf)}, also telling whether the message arrived compressed. The
   * stream calls this one; listeners that care override it.
   */
  default void onMessage(ByteBuf message, boolean compressed) {
    onMessage(message);
  }

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
     * The server refused it unprocessed: REFUSED_STREAM, or above a GOAWAY's last stream id. Safe
     * to retry transparently (once, as grpc-go does).
     */
    REFUSED,
    /**
     * It never left this process: the connection stopped taking streams before the request
     * headers went out. Always safe to retry.
     */
    NOT_SENT
  }
}
