package dev.grpcspring.transport;

import dev.grpcspring.Attributes;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * One call's stream on a {@link ServerTransport} (grpc-java's {@code ServerStream}). The methods
 * meant for the application's side (request, write, close, cancel) may be called from any thread,
 * one at a time; the stream's events reach its {@link ServerStreamListener}.
 */
public interface ServerTransportStream {
  /** The listener for this stream's events; set once, from {@code handleStream}. */
  void setListener(ServerStreamListener listener);

  /** The request's {@code :authority}, or null. */
  @Nullable String authority();

  /** The client's timeout ({@code grpc-timeout}) in nanoseconds, or -1 when it sent none. */
  long timeoutNanos();

  /** The client's {@code grpc-accept-encoding}, or null. */
  @Nullable CharSequence acceptEncoding();

  /** The connection's attributes (remote and local address). */
  Attributes attributes();

  /** Where the call's deadline timer runs. */
  ScheduledExecutorService scheduler();

  /** The allocator for outbound frames. */
  ByteBufAllocator alloc();

  /** Asks for {@code n} more request messages. */
  void request(int n);

  /** Whether a message sent now would not queue beyond the flow-control allowance. */
  boolean isReady();

  /**
   * Sends the response headers with {@code metadata}.
   *
   * @param encoding the response {@code grpc-encoding}, or null for none
   */
  void writeHeaders(Metadata metadata, @Nullable String encoding, boolean flush);

  /**
   * Bytes a message frame may leave free before its start for the transport to write its own
   * frame header into (see {@link #writeMessage}); 0 when the transport has no use for them.
   */
  default int frameHeadroom() {
    return 0;
  }

  /**
   * Sends one framed message; takes ownership of {@code frame}, including any bytes of its buffer
   * before the reader index, which the transport may overwrite (a frame made with
   * {@link #frameHeadroom()} bytes free there then needs no buffer of its own for the transport's
   * frame header). Hand over a frame that shares its buffer with other data only at reader index 0.
   */
  void writeMessage(ByteBuf frame, boolean flush);

  /**
   * Ends the call with trailers (Trailers-Only when no headers went out); the listener then sees
   * {@code closed(OK)} once they are out.
   */
  void close(Status status, Metadata trailers);

  /**
   * Ends the call because of an error the peer should hear about: the status goes out as trailers,
   * and the listener sees {@code closed(status)} at once.
   */
  void closeWithError(Status status, @Nullable Metadata trailers);

  /** Cancels the stream (the client sees it reset), and the listener sees {@code closed(status)}. */
  void cancel(Status status);
}
