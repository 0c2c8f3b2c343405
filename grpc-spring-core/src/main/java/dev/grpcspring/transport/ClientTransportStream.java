package dev.grpcspring.transport;

import dev.grpcspring.Attributes;
import dev.grpcspring.Status;
import dev.grpcspring.protocol.HeaderSink;
import io.netty.buffer.ByteBuf;

/**
 * One call on a {@link ClientTransport} (grpc-java's {@code ClientStream}). Every method may be
 * called from any thread, one at a time except {@link #cancel}; what the server sends reaches the
 * stream's {@link ClientStreamListener}, which hears exactly one {@code onClose}.
 */
public interface ClientTransportStream {
  /**
   * Where the caller writes the stream's Request-Headers, before {@link #start()}: the transport
   * moves header fields, the protocol layer decides them.
   */
  HeaderSink requestHeaders();

  /** Sends the request headers written so far; call once, before any other method but {@link #requestHeaders()}. */
  void start();

  /**
   * Bytes a caller may leave free before a message frame, for a transport to write its own frame
   * header into (the most any transport uses; see {@link #writeMessage}).
   */
  int FRAME_HEADROOM = 9;

  /**
   * Sends one framed message (from {@link dev.grpcspring.protocol.MessageFramer}); takes ownership
   * of {@code framed}, including any bytes of its buffer before the reader index, which the
   * transport may overwrite with its frame header. So those bytes may be handed to one stream
   * only: give every other stream that sends the same message a slice (reader index 0).
   *
   * @param flush whether to send now; false lets a caller batch a following one
   */
  void writeMessage(ByteBuf framed, boolean flush);

  /** Ends the request side. */
  void halfClose();

  /**
   * Ends the call now: the server sees it cancelled, and the listener closes with {@code status}
   * (CANCELLED, DEADLINE_EXCEEDED, ...). Does nothing once the stream has closed.
   */
  void cancel(Status status);

  /** Asks for {@code n} more response messages. */
  void request(int n);

  /** Whether a message sent now would not queue beyond the flow-control allowance. */
  boolean isReady();

  /** The transport's attributes (addresses). */
  Attributes attributes();
}
