package dev.grpcspring.transport;

import dev.grpcspring.Status;
import io.netty.buffer.ByteBuf;

/**
 * Receives the events of one server stream. Methods are called one at a time, on the connection's
 * event loop (HTTP/2) or on the thread driving an in-process stream, and must hand real work to an
 * executor.
 */
public interface ServerStreamListener {
  /** A complete request message (decompressed, still serialized); the listener must release it. */
  void onMessage(ByteBuf message);

  /**
   * Like {@link #onMessage(ByteBuf)}, also telling whether the message arrived compressed. The
   * transport calls this one; listeners that care override it.
   */
  default void onMessage(ByteBuf message, boolean compressed) {
    onMessage(message);
  }

  /** The client sent END_STREAM and every message has been delivered. */
  void onHalfClose();

  /**
   * The stream is over. {@link Status#isOk() OK} means the trailers went out; anything else means
   * it ended early (client reset, deadline, bad input, connection loss, server shutdown) and
   * nothing more will be sent.
   */
  void onClose(Status status);

  /** The stream can take more outbound messages without buffering past its threshold. */
  void onReady();
}
