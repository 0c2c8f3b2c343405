package dev.grpcspring;

import org.jspecify.annotations.Nullable;

/**
 * One call from the server's side, as a handler sees it. Headers go out lazily: with the first
 * message or an explicit {@link #sendHeaders}, so that an error before then goes out as
 * Trailers-Only. Methods must not be called concurrently.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 */
public abstract class ServerCall<ReqT, RespT> {
  /** Asks for up to {@code numMessages} more request messages (flow control). */
  public abstract void request(int numMessages);

  /** Sends response headers now. At most once, before any message. */
  public abstract void sendHeaders(Metadata headers);

  /** Sends one response message; sends headers first if they have not gone out. */
  public abstract void sendMessage(RespT message);

  /** Ends the call with {@code status} and {@code trailers}. Exactly once. */
  public abstract void close(Status status, Metadata trailers);

  /** Whether the call was cancelled by the client, its deadline, or the server shutting down. */
  public abstract boolean isCancelled();

  /** Whether sending now would not need buffering beyond the transport's threshold. */
  public boolean isReady() {
    return true;
  }

  /** Enables or disables compression for following messages, when a compressor is set. */
  public void setMessageCompression(boolean enabled) {}

  /**
   * Compresses responses with the named compressor, if the client accepts it; else responses go
   * uncompressed. Call before sending headers.
   */
  public void setCompression(String compressorName) {}

  /**
   * Whether the request message being delivered to {@link Listener#onMessage} right now arrived
   * compressed on the wire (its compressed flag was set). Only meaningful inside {@code onMessage};
   * false elsewhere, and on transports that cannot tell. The interop {@code expect_compressed}
   * checks need it; applications rarely do.
   */
  public boolean isInboundMessageCompressed() {
    return false;
  }

  /** The method being called. */
  public abstract MethodDescriptor<ReqT, RespT> getMethodDescriptor();

  /** The request's {@code :authority}, or null. */
  public @Nullable String getAuthority() {
    return null;
  }

  /**
   * Transport attributes: remote and local address, and on TLS connections the
   * {@link Attributes#SSL_SESSION} (with the client's certificate chain) and
   * {@link Attributes#SECURITY_LEVEL}.
   */
  public Attributes getAttributes() {
    return Attributes.EMPTY;
  }

  /** How well the connection carrying this call is protected (from {@link #getAttributes()}). */
  public SecurityLevel getSecurityLevel() {
    SecurityLevel level = getAttributes().get(Attributes.SECURITY_LEVEL);
    return level == null ? SecurityLevel.NONE : level;
  }

  /**
   * Receives what the client sends. Callbacks come one at a time: {@link #onMessage} per request
   * message, {@link #onHalfClose} once the client is done sending, then exactly one of
   * {@link #onComplete} or {@link #onCancel}.
   *
   * @param <T> the request message type
   */
  public abstract static class Listener<T> {
    /** A request message arrived. */
    public void onMessage(T message) {}

    /** The client will send no more messages. */
    public void onHalfClose() {}

    /** The call was cancelled; nothing more will be sent to the client. */
    public void onCancel() {}

    /** The call ended and its status was sent. */
    public void onComplete() {}

    /** The call can take more messages without buffering. */
    public void onReady() {}
  }
}
