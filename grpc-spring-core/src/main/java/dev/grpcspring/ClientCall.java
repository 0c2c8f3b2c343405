package dev.grpcspring;

import org.jspecify.annotations.Nullable;

/**
 * One call from the client's side. Start it once with a {@link Listener}, then send messages, ask
 * for responses with {@link #request}, and half-close. Methods other than {@link #cancel} must not
 * be called concurrently; listener callbacks are delivered one at a time, in order.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 */
public abstract class ClientCall<ReqT, RespT> {
  /** Sends the request headers; {@code listener} receives everything that comes back. */
  public abstract void start(Listener<RespT> listener, Metadata headers);

  /** Asks for up to {@code numMessages} more response messages (flow control). */
  public abstract void request(int numMessages);

  /**
   * Cancels the call: RST_STREAM(CANCEL) goes to the server and the listener is closed with
   * CANCELLED. Safe from any thread, any number of times.
   *
   * @param message why, for people; may be null
   * @param cause the local cause, if any
   */
  public abstract void cancel(@Nullable String message, @Nullable Throwable cause);

  /** No more request messages will be sent. */
  public abstract void halfClose();

  /** Sends one request message. */
  public abstract void sendMessage(ReqT message);

  /** Whether sending now would not need buffering beyond the transport's threshold. */
  public boolean isReady() {
    return true;
  }

  /** Enables or disables compression for following messages, when a compressor is set. */
  public void setMessageCompression(boolean enabled) {}

  /**
   * Whether the response message being delivered to {@link Listener#onMessage} right now arrived
   * compressed on the wire (its compressed flag was set). Only meaningful inside {@code onMessage};
   * false elsewhere, and on transports that cannot tell. The interop server_compressed_* checks need
   * it; applications rarely do.
   */
  public boolean isInboundMessageCompressed() {
    return false;
  }

  /** Attributes of the transport the call went out on; empty until headers arrive. */
  public Attributes getAttributes() {
    return Attributes.EMPTY;
  }

  /**
   * Receives a call's response. Callbacks come one at a time, in the order: {@link #onHeaders} at
   * most once, {@link #onMessage} any number of times, {@link #onClose} exactly once.
   *
   * @param <T> the response message type
   */
  public abstract static class Listener<T> {
    /** Response headers arrived. */
    public void onHeaders(Metadata headers) {}

    /** A response message arrived. */
    public void onMessage(T message) {}

    /** The call ended; {@code trailers} are never null. */
    public void onClose(Status status, Metadata trailers) {}

    /**
     * The call can take more messages without buffering. Not called for methods whose client sends
     * one message (unary and server streaming), as in grpc-java: they have nothing more to send.
     */
    public void onReady() {}
  }
}
