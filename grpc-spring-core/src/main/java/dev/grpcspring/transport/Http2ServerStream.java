package dev.grpcspring.transport;

import dev.grpcspring.protocol.MessageDeframer;
import dev.grpcspring.protocol.MetadataCodec;
import dev.grpcspring.protocol.GrpcHeaders;

import dev.grpcspring.Attributes;
import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.codec.Compressor;
import dev.grpcspring.protocol.PercentEncoding;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.IntBinaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * One call's HTTP/2 stream on the server (the server half of grpc-go's {@code transport.Stream};
 * grpc-java's {@code NettyServerStream}). The methods meant for the application's side (request,
 * write, close, cancel) may be called from any thread, one at a time: they queue commands on the
 * connection's {@link ControlBuffer}, so the stream's HTTP/2 state is only ever touched on the event
 * loop.
 */
public final class Http2ServerStream implements ServerTransportStream {
  private static final Logger log = Logger.getLogger(Http2ServerStream.class.getName());

  /** Outbound bytes queued beyond which {@link #isReady()} turns false. */
  public static final int ON_READY_THRESHOLD = 32 * 1024;

  /** {@code grpc-status} values by {@link Code} ordinal, made once. */
  private static final AsciiString[] STATUS_VALUES = statusValues();

  /**
   * The trailers of an OK call after its headers: shared by every stream, never modified (Netty's
   * encoder only reads them; a Trailers-Only response builds its own block).
   */
  private static final Http2Headers OK_TRAILERS =
      new DefaultHttp2Headers(false).add(GrpcHeaders.GRPC_STATUS, STATUS_VALUES[Code.OK.ordinal()]);

  private static AsciiString[] statusValues() {
    Code[] codes = Code.values();
    AsciiString[] values = new AsciiString[codes.length];
    for (Code c : codes) {
      values[c.ordinal()] = AsciiString.cached(c.wireValue());
    }
    return values;
  }

  private final Http2Server transport;
  private final Http2Stream http2Stream;
  private final @Nullable String authority;
  private final long timeoutNanos;
  private final @Nullable CharSequence acceptEncoding;
  private final MessageDeframer deframer;
  // Field updaters rather than AtomicIntegers: two objects fewer per stream.
  private static final AtomicIntegerFieldUpdater<Http2ServerStream> PENDING_BYTES =
      AtomicIntegerFieldUpdater.newUpdater(Http2ServerStream.class, "pendingBytes");
  private static final AtomicIntegerFieldUpdater<Http2ServerStream> REQUESTED =
      AtomicIntegerFieldUpdater.newUpdater(Http2ServerStream.class, "requested");
  private static final IntBinaryOperator SATURATED_ADD =
      (a, b) -> (int) Math.min(Integer.MAX_VALUE, (long) a + b);
  /** Outbound bytes queued and not yet written to the socket. */
  private volatile int pendingBytes;
  /** Demand from {@link #request} off the event loop, not yet given to the deframer. */
  private volatile int requested;
  /** Carries {@link #requested} to the deframer; one per stream, queued once at a time. */
  private final ControlBuffer.Command requestCommand = this::deliverRequested;
  private volatile @Nullable ServerStreamListener listener;

  // Event-loop state.
  private boolean headersWritten;
  /** Written on the event loop only; volatile because {@link #writeMessage} reads it too. */
  private volatile boolean closed;
  private boolean trailersSent;
  private boolean remoteEnded;
  private boolean listenerClosed;
  private boolean statsEnded;

  Http2ServerStream(Http2Server transport, Http2Stream http2Stream, @Nullable String authority,
      long timeoutNanos, @Nullable CharSequence acceptEncoding, @Nullable Compressor decompressor,
      int maxInboundMessageSize) {
    this.transport = transport;
    this.http2Stream = http2Stream;
    this.authority = authority;
    this.timeoutNanos = timeoutNanos;
    this.acceptEncoding = acceptEncoding;
    this.deframer = new MessageDeframer(new DeframerListener(), transport.alloc(),
        maxInboundMessageSize);
    deframer.setDecompressor(decompressor);
  }

  // ---- for the server (any thread) ----

  /** The listener for this stream's events; set once, from {@code handleStream}. */
  public void setListener(ServerStreamListener listener) {
    this.listener = listener;
  }

  /** The HTTP/2 stream id. */
  public int id() {
    return http2Stream.id();
  }

  /** The request's {@code :authority}, or null. */
  public @Nullable String authority() {
    return authority;
  }

  /** The {@code grpc-timeout} in nanoseconds, or -1 when the client sent none. */
  public long timeoutNanos() {
    return timeoutNanos;
  }

  /** The client's {@code grpc-accept-encoding}, or null. */
  public @Nullable CharSequence acceptEncoding() {
    return acceptEncoding;
  }

  /** The connection's attributes (remote and local address). */
  public Attributes attributes() {
    return transport.attributes();
  }

  /** The connection's event loop: a scheduler for deadlines, and the place events come from. */
  public EventLoop eventLoop() {
    return transport.eventLoop();
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return transport.eventLoop();
  }

  /** The allocator for outbound frames. */
  public ByteBufAllocator alloc() {
    return transport.alloc();
  }

  /** Asks for {@code n} more request messages. */
  public void request(int n) {
    if (transport.eventLoop().inEventLoop()) {
      // A handler on the event loop (direct executor), usually from inside onMessage: the deframer
      // takes the demand now (it defers delivery while it is delivering), instead of a queued
      // command per message that waits for the next drain.
      if (!closed) {
        guarded(() -> deframer.request(n));
      }
      return;
    }
    // Demand adds up in a counter, and one command per stream at a time carries it to the event
    // loop: a streaming handler asks for one message per message, and a command each (a lambda and
    // a queue slot) was a good part of what a streamed message cost.
    if (REQUESTED.getAndAccumulate(this, n, SATURATED_ADD) == 0) {
      transport.controlBuf().enqueue(requestCommand);
    }
  }

  /** Runs on the event loop: hands the demand gathered since the last run to the deframer. */
  private void deliverRequested() {
    int n = REQUESTED.getAndSet(this, 0);
    if (!closed && n > 0) {
      try {
        deframer.request(n);
      } catch (RuntimeException e) {
        failNow(e);
      }
    }
  }

  /** Whether queued outbound bytes are below {@link #ON_READY_THRESHOLD}. */
  public boolean isReady() {
    return pendingBytes < ON_READY_THRESHOLD;
  }

  /**
   * Sends the Response-Headers: {@code :status 200}, content-type, the given encoding, the server's
   * {@code grpc-accept-encoding}, then the metadata.
   *
   * @param encoding the response {@code grpc-encoding}, or null for none
   */
  public void writeHeaders(Metadata metadata, @Nullable String encoding, boolean flush) {
    boolean encoded = encoding != null && !encoding.equals(Compressor.IDENTITY.name());
    Http2Headers headers;
    if (!encoded && metadata.isEmpty()) {
      // The usual response headers, the same for every call on the connection: shared, never
      // modified (Netty's encoder only reads them).
      headers = transport.plainResponseHeaders();
    } else {
      headers = new DefaultHttp2Headers(false);
      headers.status(GrpcHeaders.STATUS_OK);
      headers.add(GrpcHeaders.CONTENT_TYPE, GrpcHeaders.CONTENT_TYPE_GRPC);
      if (encoded) {
        headers.add(GrpcHeaders.GRPC_ENCODING, AsciiString.of(encoding));
      }
      transport.addAcceptEncoding(headers);
      MetadataCodec.addTo(metadata, headers::add);
    }
    transport.controlBuf().enqueue(() -> {
      if (closed || headersWritten) {
        return;
      }
      headersWritten = true;
      transport.writeHeaders(http2Stream, headers, false, transport.ctx().newPromise());
    }, flush);
  }

  /** Room for a DATA frame's header, written in place when the frame goes out directly. */
  @Override
  public int frameHeadroom() {
    return Http2CodecUtil.FRAME_HEADER_LENGTH;
  }

  /** Sends one framed message; takes ownership of {@code frame} (see the interface). */
  @Override
  public void writeMessage(ByteBuf frame, boolean flush) {
    int size = frame.readableBytes();
    PENDING_BYTES.addAndGet(this, size);
    transport.controlBuf().enqueue(new MessageWrite(frame, size), flush);
    if (!flush && closed) {
      // The stream ended while the message was framed: no close of the call comes to flush it
      // (a cancelled call does not close), so run the command now and let it release the frame.
      transport.controlBuf().scheduleFlush();
    }
  }

  /**
   * Ends the call with trailers (or Trailers-Only when no headers went out); the listener then sees
   * {@code closed(OK)} once they are written.
   */
  public void close(Status status, Metadata trailers) {
    if (status.isOk() && status.getDescription() == null && trailers.isEmpty()) {
      // Nearly every call: the trailers are grpc-status 0 alone, chosen on the event loop (shared
      // after headers, or a Trailers-Only block of this stream's own).
      transport.controlBuf().enqueue(() -> sendTrailers(null, null));
      return;
    }
    Http2Headers headers = trailers(status, trailers);
    transport.controlBuf().enqueue(() -> sendTrailers(headers, null));
  }

  /**
   * Ends the call because of an error the peer should hear about: the status goes out as trailers
   * (or Trailers-Only), and the listener sees {@code onClose(status)} at once.
   */
  public void closeWithError(Status status, @Nullable Metadata trailers) {
    Http2Headers headers = trailers(status, trailers);
    transport.controlBuf().enqueue(() -> sendTrailers(headers, status));
  }

  /** Cancels the stream: RST_STREAM(CANCEL), and the listener sees {@code onClose(status)}. */
  public void cancel(Status status) {
    transport.controlBuf().enqueue(() -> cancelNow(status));
  }

  // ---- event loop ----

  void cancelNow(Status status) {
    if (!markClosed()) {
      return;
    }
    deframer.close();
    endStats(false);
    notifyClosed(status);
    transport.resetStream(transport.ctx(), id(), Http2Error.CANCEL.code(), transport.ctx().newPromise());
  }

  void inboundData(ByteBuf data, boolean endOfStream) {
    if (endOfStream) {
      remoteEnded = true;
    }
    // As guarded, without a lambda per DATA frame.
    try {
      deframer.deframe(data, endOfStream);
    } catch (RuntimeException e) {
      failNow(e);
    }
  }

  /**
   * Runs stream work on the event loop so that a failure in it (a bug, or an executor refusing a
   * task) ends only this stream, never the connection.
   */
  void guarded(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      failNow(e);
    }
  }

  /** Ends this stream after an unexpected failure; logs it and tells the client. */
  void failNow(RuntimeException e) {
    log.log(Level.WARNING, "Failing stream " + id() + " after an unexpected error", e);
    Status status = e instanceof RejectedExecutionException
        ? Status.UNAVAILABLE.withDescription("The server could not schedule the call; try again")
        : Status.INTERNAL.withDescription("The server failed processing the call: " + e);
    sendTrailers(trailers(status, null), status);
  }

  void inboundReset(long errorCode) {
    remoteEnded = true;
    if (!markClosed()) {
      return;
    }
    deframer.close();
    endStats(false);
    notifyClosed(Status.CANCELLED.withDescription(
        "Cancelled by the client (RST_STREAM error code " + errorCode + ")"));
  }

  /** Netty closed the HTTP/2 stream, for whatever reason. */
  void streamClosed() {
    markClosed();
    deframer.close();
    endStats(trailersSent);
    notifyClosed(trailersSent ? Status.OK
        : Status.CANCELLED.withDescription("The stream closed before the call completed"));
  }

  private static Http2Headers trailers(Status status, @Nullable Metadata trailers) {
    Http2Headers headers = new DefaultHttp2Headers(false);
    headers.add(GrpcHeaders.GRPC_STATUS, STATUS_VALUES[status.getCode().ordinal()]);
    if (status.getDescription() != null) {
      headers.add(GrpcHeaders.GRPC_MESSAGE, PercentEncoding.encode(status.getDescription()));
    }
    if (trailers != null) {
      MetadataCodec.addTo(trailers, headers::add);
    }
    return headers;
  }

  /**
   * @param headers the trailers; null for plain OK ones ({@code grpc-status: 0} and nothing else)
   */
  private void sendTrailers(@Nullable Http2Headers headers, @Nullable Status errorStatus) {
    if (!markClosed()) {
      return;
    }
    if (headers == null) {
      headers = headersWritten ? OK_TRAILERS : trailers(Status.OK, null);
    }
    if (!headersWritten) {
      // Trailers-Only: the status rides on the only HEADERS frame.
      headers.status(GrpcHeaders.STATUS_OK);
      headers.add(GrpcHeaders.CONTENT_TYPE, GrpcHeaders.CONTENT_TYPE_GRPC);
      transport.addAcceptEncoding(headers);
      headersWritten = true;
    }
    endStats(true); // END_STREAM goes out with these headers
    if (errorStatus != null) {
      deframer.close();
      notifyClosed(errorStatus);
    } else {
      trailersSent = true;
    }
    ChannelPromise promise = transport.ctx().newPromise();
    if (!remoteEnded) {
      // Once the client has ended its side, our END_STREAM closes the stream: nothing to check.
      promise.addListener((ChannelFutureListener) f -> {
        if (f.isSuccess()) {
          transport.resetIfClientStillSending(http2Stream);
        }
      });
    }
    transport.writePendingData(http2Stream);
    transport.writeHeaders(http2Stream, headers, true, promise);
  }

  /**
   * Ends the stream for writes; false if it had ended already. Messages the application queued
   * without a flush (a unary response waits for its trailers) may still sit in the write queue,
   * and after a cancellation no close of the call comes to flush them: the queue runs them soon, so
   * that each releases its frame instead of holding it until the connection is collected.
   */
  private boolean markClosed() {
    if (closed) {
      return false;
    }
    closed = true;
    transport.controlBuf().scheduleFlushIfPending();
    return true;
  }

  private void onSent(int size) {
    int before = PENDING_BYTES.getAndAdd(this, -size);
    int after = before - size;
    if (before >= ON_READY_THRESHOLD && after < ON_READY_THRESHOLD && !closed) {
      ServerStreamListener l = listener;
      if (l != null) {
        guarded(l::onReady);
      }
    }
  }

  /** channelz: a server stream succeeded when it sent END_STREAM; counted once. */
  private void endStats(boolean succeeded) {
    if (!statsEnded) {
      statsEnded = true;
      transport.stats().streamEnded(succeeded);
    }
  }

  private void notifyClosed(Status status) {
    if (listenerClosed) {
      return;
    }
    listenerClosed = true;
    ServerStreamListener l = listener;
    if (l != null) {
      try {
        l.onClose(status);
      } catch (RuntimeException e) {
        // Called from Netty's stream bookkeeping: a failure here must not break the connection.
        log.log(Level.WARNING, "Stream listener failed on close of stream " + id(), e);
      }
    }
  }

  boolean remoteEnded() {
    return remoteEnded;
  }

  /**
   * One outbound message: the write-queue command that writes its DATA, the promise of that write,
   * and the listener that then counts its bytes as sent, in one object (they were a command lambda,
   * a promise and a listener lambda per message).
   */
  private final class MessageWrite extends DefaultChannelPromise
      implements ControlBuffer.Command, ChannelFutureListener {
    private final ByteBuf frame;
    private final int size;

    MessageWrite(ByteBuf frame, int size) {
      // What ctx.newPromise() makes: the channel, and the context's executor (its event loop).
      super(transport.ctx().channel(), transport.ctx().executor());
      this.frame = frame;
      this.size = size;
    }

    @Override
    public void run() {
      if (closed) {
        frame.release();
        PENDING_BYTES.addAndGet(Http2ServerStream.this, -size);
        return;
      }
      transport.stats().messageSent();
      addListener(this);
      transport.writeData(http2Stream, frame, this);
    }

    @Override
    public void operationComplete(ChannelFuture future) {
      onSent(size);
    }
  }

  private final class DeframerListener implements MessageDeframer.Listener {
    @Override
    public void messageRead(ByteBuf message) {
      messageRead(message, false);
    }

    @Override
    public void messageRead(ByteBuf message, boolean compressed) {
      transport.stats().messageReceived();
      ServerStreamListener l = listener;
      if (l == null || closed) {
        message.release();
        return;
      }
      l.onMessage(message, compressed);
    }

    @Override
    public void bytesRead(int numBytes) {
      transport.returnProcessedBytes(http2Stream, numBytes);
    }

    @Override
    public void endOfStream() {
      ServerStreamListener l = listener;
      if (l != null && !closed) {
        l.onHalfClose();
      }
    }

    @Override
    public void deframeFailed(Status status) {
      sendTrailers(trailers(status, null), status);
    }
  }
}
