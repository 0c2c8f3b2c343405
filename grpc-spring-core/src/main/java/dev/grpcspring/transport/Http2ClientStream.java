package dev.grpcspring.transport;

import dev.grpcspring.protocol.MessageDeframer;
import dev.grpcspring.protocol.MetadataCodec;
import dev.grpcspring.protocol.GrpcHeaders;
import dev.grpcspring.protocol.HeaderSink;

import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.codec.Compressor;
import dev.grpcspring.protocol.PercentEncoding;
import dev.grpcspring.transport.ClientStreamListener.RpcProgress;
import io.netty.util.AsciiString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One gRPC call on a client transport: an HTTP/2 stream (the client half of grpc-go's
 * {@code transport.Stream}; grpc-java's {@code NettyClientStream}). Methods meant for the application
 * ({@link #writeMessage}, {@link #halfClose}, {@link #cancel}, {@link #request}) may be called from
 * any thread (one at a time, except cancel) and only enqueue work for the event loop; everything
 * else runs on the event loop. The listener hears exactly one {@code onClose}.
 */
public final class Http2ClientStream
    implements ClientTransportStream, HeaderSink, MessageDeframer.Listener, ChannelFutureListener {
  /** Bytes queued for sending above which {@link #isReady()} turns false (grpc-java's 32 KiB). */
  static final int ON_READY_THRESHOLD = 32 * 1024;
  private static final AsciiString[] NO_FIELDS = {};
  private static final AsciiString PSEUDO_METHOD = AsciiString.cached(":method");
  private static final AsciiString PSEUDO_SCHEME = AsciiString.cached(":scheme");
  private static final AsciiString PSEUDO_PATH = AsciiString.cached(":path");
  private static final AsciiString PSEUDO_AUTHORITY = AsciiString.cached(":authority");

  private final Http2Client transport;
  private final ClientStreamListener listener;
  // The request header block as the caller writes it: pseudo-headers apart, the other fields as
  // name, value, ... (a read-only block over an array, as grpc-java sends, costs a fraction of a
  // hash-table header block per call).
  private @Nullable AsciiString method;
  private @Nullable AsciiString scheme;
  private @Nullable AsciiString path;
  private @Nullable AsciiString authority;
  private AsciiString[] fields = NO_FIELDS;
  private int fieldCount;
  /** Made by {@link #start()}; read on the event loop, which the start's queueing publishes to. */
  private @Nullable Http2Headers headerBlock;
  private final int maxReceiveMessageSize;
  /** Made on the event loop when the response side is first touched: the way out needs none. */
  private @Nullable MessageDeframer deframer;
  private final AtomicLong queuedBytes = new AtomicLong();
  /**
   * While true, the stream's writes wait for the half-close to flush them all at once (one
   * wake-up of the event loop and one write per unary call, as grpc-java does).
   */
  private volatile boolean deferFlush;
  /**
   * Whether bytes in flight are counted for {@link #isReady()} and {@code onReady}: not for a call
   * that sends one message, which hears no {@code onReady} (as in grpc-java).
   */
  private final boolean tracksReadiness;
  /**
   * A call that sends one message: that message, held until the half-close sends it in one DATA
   * frame with END_STREAM (as grpc-java does), instead of a second, empty DATA frame that Netty
   * would merge into a composite buffer. Taken with {@link #HELD} by exactly one of the half-close,
   * a later message and the stream's close (which releases it).
   */
  @SuppressWarnings("unused") // through HELD
  private volatile @Nullable ByteBuf held;
  private static final VarHandle HELD;

  static {
    try {
      HELD = MethodHandles.lookup().findVarHandle(Http2ClientStream.class, "held", ByteBuf.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // Event-loop state.
  int id = -1;
  private boolean headersReceived;
  /** Written on the event loop only; volatile because {@link #writeMessage} reads it too. */
  private volatile boolean closed;
  /** The server sent END_STREAM: nothing more comes from it. */
  private boolean remoteEnded;
  /** A status waiting for the deframer to hand out the messages that came before it. */
  private @Nullable Status deferredStatus;
  private @Nullable Metadata deferredTrailers;

  Http2ClientStream(Http2Client transport, ClientStreamListener listener,
      int maxReceiveMessageSize, boolean deferFlush) {
    this.deferFlush = deferFlush;
    this.tracksReadiness = !deferFlush;
    this.transport = transport;
    this.listener = listener;
    this.maxReceiveMessageSize = maxReceiveMessageSize;
  }

  /** The request header block itself: the protocol layer writes its fields straight in. */
  @Override
  public HeaderSink requestHeaders() {
    return this;
  }

  @Override
  public void expectFields(int count) {
    if (fieldCount == 0 && count * 2 > fields.length) {
      fields = new AsciiString[count * 2];
    }
  }

  /** One request header field; only before {@link #start()}. */
  @Override
  public void add(CharSequence name, CharSequence value) {
    AsciiString n = AsciiString.of(name);
    AsciiString v = AsciiString.of(value);
    if (n.length() > 0 && n.byteAt(0) == ':') {
      if (n.contentEquals(PSEUDO_PATH)) {
        path = v;
      } else if (n.contentEquals(PSEUDO_AUTHORITY)) {
        authority = v;
      } else if (n.contentEquals(PSEUDO_METHOD)) {
        method = v;
      } else if (n.contentEquals(PSEUDO_SCHEME)) {
        scheme = v;
      } else {
        throw new IllegalArgumentException("Not a request pseudo-header: " + n);
      }
      return;
    }
    if (fieldCount + 2 > fields.length) {
      fields = Arrays.copyOf(fields, Math.max(16, fields.length * 2));
    }
    fields[fieldCount++] = n;
    fields[fieldCount++] = v;
  }

  /**
   * Queues the stream's creation: its HEADERS leave in the next write batch, or with the
   * half-close when the call sends one message.
   */
  @Override
  public void start() {
    headerBlock = ReadOnlyHttp2Headers.clientHeaders(false,
        Objects.requireNonNull(method, ":method"), Objects.requireNonNull(path, ":path"),
        Objects.requireNonNull(scheme, ":scheme"), Objects.requireNonNull(authority, ":authority"),
        fieldCount == fields.length ? fields : Arrays.copyOf(fields, fieldCount));
    fields = NO_FIELDS;
    transport.controlBuf().enqueue(() -> transport.handler().createStream(this), !deferFlush);
  }

  boolean tracksReadiness() {
    return tracksReadiness;
  }

  /** The request headers' write finished; event loop. */
  @Override
  public void operationComplete(ChannelFuture f) {
    if (!f.isSuccess()) {
      transport.handler().headersFailed(this, f.cause());
    }
  }

  /** The request header block, once started; the event loop sends it. */
  Http2Headers headerBlock() {
    return Objects.requireNonNull(headerBlock, "the stream was not started");
  }

  /** The response deframer; event loop only. */
  private MessageDeframer deframer() {
    MessageDeframer d = deframer;
    if (d == null) {
      d = new MessageDeframer(this, transport.alloc(), maxReceiveMessageSize);
      deframer = d;
    }
    return d;
  }

  /**
   * Sends one framed message (from {@link dev.grpcspring.protocol.MessageFramer}); takes ownership of {@code framed}.
   *
   * @param flush whether to schedule the write now; false lets a caller batch a following one
   */
  public void writeMessage(ByteBuf framed, boolean flush) {
    if (tracksReadiness) {
      queuedBytes.addAndGet(framed.readableBytes());
    }
    if (deferFlush) {
      ByteBuf earlier = (ByteBuf) HELD.getAndSet(this, framed);
      if (earlier != null) {
        // More than one message after all: the earlier one goes first, as an ordinary DATA frame.
        transport.controlBuf().enqueue(
            () -> transport.handler().writeData(this, earlier, false), false);
      }
      if (closed) {
        releaseHeld(); // the close may have looked before the message was held
        transport.controlBuf().scheduleFlushIfPending();
      }
      return;
    }
    transport.controlBuf().enqueue(() -> transport.handler().writeData(this, framed, false),
        flush);
    if (!flush && closed) {
      // The call ended meanwhile, so the half-close that would flush this never comes: run the
      // command now and let it release the message.
      transport.controlBuf().scheduleFlush();
    }
  }

  /** Ends the request: END_STREAM on the held message's DATA frame, or on an empty one. */
  public void halfClose() {
    deferFlush = false;
    ByteBuf last = (ByteBuf) HELD.getAndSet(this, null);
    ByteBuf data = last != null ? last : Unpooled.EMPTY_BUFFER;
    transport.controlBuf().enqueue(() -> transport.handler().writeData(this, data, true), true);
  }

  private void releaseHeld() {
    ByteBuf m = (ByteBuf) HELD.getAndSet(this, null);
    if (m != null) {
      m.release();
    }
  }

  /**
   * Ends the call now: RST_STREAM(CANCEL) to the server, and the listener closes with {@code
   * status} (CANCELLED, DEADLINE_EXCEEDED, ...). Does nothing once the stream has closed.
   */
  public void cancel(Status status) {
    transport.controlBuf().enqueue(() -> transport.handler().cancelStream(this, status), true);
  }

  /** Asks for {@code n} more response messages. */
  public void request(int n) {
    transport.controlBuf().enqueue(() -> {
      MessageDeframer d = deframer();
      if (!d.isClosed()) {
        d.request(n);
      }
    }, !deferFlush);
  }

  /** Whether a message sent now would not queue beyond the threshold. */
  public boolean isReady() {
    return queuedBytes.get() < ON_READY_THRESHOLD;
  }

  /** The transport's attributes (addresses). */
  public dev.grpcspring.Attributes attributes() {
    return transport.attributes();
  }

  // ---- event loop ----

  void onSentBytes(int n) {
    long before = queuedBytes.getAndAdd(-n);
    if (before >= ON_READY_THRESHOLD && before - n < ON_READY_THRESHOLD && !closed) {
      listener.onReady();
    }
  }

  void transportHeadersReceived(Http2Headers headers, boolean endOfStream) {
    if (endOfStream) {
      remoteEnded = true;
    }
    if (closed || deferredStatus != null) {
      return;
    }
    if (!headersReceived) {
      CharSequence httpStatus = headers.status();
      if (httpStatus != null && httpStatus.length() == 3 && httpStatus.charAt(0) == '1'
          && !endOfStream) {
        return; // 1xx informational: the real headers follow
      }
      if (endOfStream) {
        headersReceived = true;
        trailersReceived(headers, true);
        return;
      }
      headersReceived = true;
      Status error = validateResponseHeaders(headers);
      if (error != null) {
        transportReportStatus(error, new Metadata(), RpcProgress.PROCESSED, true);
        return;
      }
      CharSequence encoding = headers.get(GrpcHeaders.GRPC_ENCODING);
      if (encoding != null && !AsciiString.contentEqualsIgnoreCase(GrpcHeaders.IDENTITY, encoding)) {
        Compressor c = transport.options().compressors().lookup(encoding.toString());
        if (c == null) {
          transportReportStatus(Status.INTERNAL.withDescription(
              "The server compressed responses with '" + encoding + "', which this client does "
                  + "not support; register it in the channel's CompressorRegistry"),
              new Metadata(), RpcProgress.PROCESSED, true);
          return;
        }
        deframer().setDecompressor(c);
      }
      listener.onHeaders(MetadataCodec.fromHeaders(headers));
      return;
    }
    if (!endOfStream) {
      transportReportStatus(Status.INTERNAL.withDescription(
          "Received a second header block without END_STREAM: trailers must end the stream"),
          new Metadata(), RpcProgress.PROCESSED, true);
      return;
    }
    trailersReceived(headers, false);
  }

  private void trailersReceived(Http2Headers trailers, boolean trailersOnly) {
    Status status = statusFromTrailers(trailers, trailersOnly);
    Metadata md = MetadataCodec.fromHeaders(trailers);
    if (trailersOnly) {
      transportReportStatus(status, md, RpcProgress.PROCESSED, false);
      return;
    }
    // Messages before the trailers are delivered first; the deframer calls endOfStream() then.
    deferredStatus = status;
    deferredTrailers = md;
    deframer().deframe(Unpooled.EMPTY_BUFFER, true);
  }

  void transportDataReceived(ByteBuf data, boolean endOfStream) {
    if (endOfStream) {
      remoteEnded = true;
    }
    if (closed || deferredStatus != null || !headersReceived) {
      int n = data.readableBytes();
      data.release();
      transport.handler().returnBytes(this, n);
      if (!closed && !headersReceived) {
        transportReportStatus(Status.INTERNAL.withDescription(
            "Received DATA before response headers"), new Metadata(), RpcProgress.PROCESSED, true);
      }
      return;
    }
    deframer().deframe(data, false);
    if (endOfStream && !closed) {
      // END_STREAM on DATA: the server ended without trailers.
      transportReportStatus(Status.INTERNAL.withDescription(
          "The server ended the stream without trailers (no grpc-status)"), new Metadata(),
          RpcProgress.PROCESSED, true);
    }
  }

  void transportRstReceived(long errorCode) {
    if (closed) {
      return;
    }
    RpcProgress progress =
        errorCode == Http2Error.REFUSED_STREAM.code() ? RpcProgress.REFUSED : RpcProgress.PROCESSED;
    transportReportStatus(statusForRstStream(errorCode), new Metadata(), progress, true);
  }

  /**
   * Closes the stream from the transport's side.
   *
   * @param stopDelivery drop undelivered messages (errors) instead of delivering them first
   */
  void transportReportStatus(Status status, Metadata trailers, RpcProgress progress,
      boolean stopDelivery) {
    if (closed) {
      return;
    }
    MessageDeframer d = deframer;
    if (!stopDelivery && d != null && d.hasBufferedBytes()) {
      deferredStatus = status;
      deferredTrailers = trailers;
      d.deframe(Unpooled.EMPTY_BUFFER, true);
      return;
    }
    closeNow(status, trailers, progress);
  }

  private void closeNow(Status status, Metadata trailers, RpcProgress progress) {
    if (closed) {
      return;
    }
    closed = true;
    releaseHeld();
    // A message queued unflushed (waiting for the half-close, which a closed call never sends)
    // runs now and releases its buffer instead of waiting for a drain that may never come.
    transport.controlBuf().scheduleFlushIfPending();
    MessageDeframer d = deframer;
    if (d != null) {
      d.close();
    }
    transport.handler().streamClosed(this);
    listener.onClose(status, trailers, progress);
  }

  boolean isClosed() {
    return closed;
  }

  /** Whether the server ended its side (END_STREAM received). */
  boolean isRemoteEnded() {
    return remoteEnded;
  }

  // ---- MessageDeframer.Listener (event loop) ----

  @Override
  public void messageRead(ByteBuf message) {
    messageRead(message, false);
  }

  @Override
  public void messageRead(ByteBuf message, boolean compressed) {
    if (closed) {
      message.release();
      return;
    }
    transport.stats().messageReceived();
    listener.onMessage(message, compressed);
  }

  @Override
  public void bytesRead(int numBytes) {
    transport.handler().returnBytes(this, numBytes);
  }

  @Override
  public void endOfStream() {
    Status status = deferredStatus;
    Metadata trailers = deferredTrailers;
    // The two are set together.
    if (status != null && trailers != null) {
      closeNow(status, trailers, RpcProgress.PROCESSED);
    }
  }

  @Override
  public void deframeFailed(Status status) {
    if (!closed) {
      closeNow(status, new Metadata(), RpcProgress.PROCESSED);
    }
  }

  // ---- mapping ----

  private static @Nullable Status validateResponseHeaders(Http2Headers headers) {
    CharSequence httpStatus = headers.status();
    CharSequence contentType = headers.get(GrpcHeaders.CONTENT_TYPE);
    if (httpStatus == null) {
      return Status.INTERNAL.withDescription("Response headers have no :status");
    }
    if (!AsciiString.contentEquals(GrpcHeaders.STATUS_OK, httpStatus)) {
      return statusForHttp(httpStatus).augmentDescription("invalid content-type: " + contentType);
    }
    if (!GrpcHeaders.isGrpcContentType(contentType)) {
      return Status.UNKNOWN.withDescription(
          "HTTP status code 200, but the response is not gRPC: invalid content-type: " + contentType);
    }
    return null;
  }

  private static Status statusFromTrailers(Http2Headers trailers, boolean trailersOnly) {
    CharSequence code = trailers.get(GrpcHeaders.GRPC_STATUS);
    if (code == null) {
      CharSequence httpStatus = trailers.status();
      if (trailersOnly && httpStatus != null) {
        return statusForHttp(httpStatus).augmentDescription("missing grpc-status in the response");
      }
      return Status.UNKNOWN.withDescription("The server's trailers have no grpc-status");
    }
    Status status;
    try {
      status = Status.fromCodeValue(parseStatusCode(code));
    } catch (NumberFormatException e) {
      return Status.UNKNOWN.withDescription("Malformed grpc-status '" + code + "'");
    }
    CharSequence message = trailers.get(GrpcHeaders.GRPC_MESSAGE);
    if (message != null) {
      status = status.withDescription(PercentEncoding.decode(message));
    }
    return status;
  }

  private static int parseStatusCode(CharSequence code) {
    if (code.length() == 0 || code.length() > 3) {
      throw new NumberFormatException();
    }
    int v = 0;
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException();
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** PROTOCOL-HTTP2's HTTP-to-gRPC table, used only when {@code grpc-status} is absent. */
  static Status statusForHttp(CharSequence httpStatus) {
    int http;
    try {
      http = Integer.parseInt(httpStatus.toString());
    } catch (NumberFormatException e) {
      return Status.INTERNAL.withDescription("Malformed :status '" + httpStatus + "'");
    }
    Code code = switch (http) {
      case 400, 431 -> Code.INTERNAL;
      case 401 -> Code.UNAUTHENTICATED;
      case 403 -> Code.PERMISSION_DENIED;
      case 404 -> Code.UNIMPLEMENTED;
      case 429, 502, 503, 504 -> Code.UNAVAILABLE;
      default -> Code.UNKNOWN;
    };
    return Status.fromCode(code).withDescription("HTTP status code " + http);
  }

  /** PROTOCOL-HTTP2's RST_STREAM table. */
  static Status statusForRstStream(long errorCode) {
    Http2Error error = Http2Error.valueOf(errorCode);
    String what = "Stream reset by the server with " + (error == null ? "error " + errorCode : error);
    if (error == null) {
      return Status.INTERNAL.withDescription(what);
    }
    return switch (error) {
      case REFUSED_STREAM -> Status.UNAVAILABLE.withDescription(what);
      case CANCEL -> Status.CANCELLED.withDescription(what);
      case ENHANCE_YOUR_CALM -> Status.RESOURCE_EXHAUSTED.withDescription(what + ": bandwidth exhausted");
      case INADEQUATE_SECURITY -> Status.PERMISSION_DENIED.withDescription(what + ": insufficient security");
      default -> Status.INTERNAL.withDescription(what);
    };
  }
}
