package dev.grpcspring.transport.inprocess;

import dev.grpcspring.Attributes;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.codec.Compressor;
import dev.grpcspring.transport.ClientStreamListener;
import dev.grpcspring.transport.ClientStreamListener.RpcProgress;
import dev.grpcspring.transport.ClientTransportStream;
import dev.grpcspring.protocol.HeaderSink;
import dev.grpcspring.protocol.MessageDeframer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The client's side of an in-process stream. What the application does (write, half-close,
 * request, cancel) goes straight to the {@link InProcessServerStream} peer; what the server sends
 * arrives through this side's {@link InProcessSerializer} and its deframer, which checks and
 * delivers response messages exactly as the HTTP/2 client stream's does.
 */
final class InProcessClientStream
    implements ClientTransportStream, HeaderSink, MessageDeframer.Listener {
  /** Bytes queued beyond the peer's window above which {@link #isReady()} turns false (HTTP/2's). */
  static final int ON_READY_THRESHOLD = 32 * 1024;

  private final InProcessClientTransport transport;
  private final ClientStreamListener listener;
  final InProcessSerializer serializer;
  private final MessageDeframer deframer;
  /** Request bytes handed to the server that its deframer has not consumed yet. */
  private final AtomicLong unconsumed = new AtomicLong();
  /** Set by the transport at the start, before the stream can be written to. */
  private volatile long readyLimit = ON_READY_THRESHOLD;
  /** The request header fields, name then value, until the start hands them to the server. */
  private final List<CharSequence> headerFields = new ArrayList<>(24);
  private @Nullable InProcessServerStream server;

  // Serializer state.
  private boolean closed;
  private boolean headersReceived;
  /** A status waiting for the deframer to hand out the messages that came before it. */
  private @Nullable Status deferredStatus;
  private @Nullable Metadata deferredTrailers;

  InProcessClientStream(InProcessClientTransport transport, ClientStreamListener listener,
      int maxReceiveMessageSize) {
    this.transport = transport;
    this.listener = listener;
    this.serializer = new InProcessSerializer(transport.options().offloadExecutor());
    this.deframer = new MessageDeframer(this, ByteBufAllocator.DEFAULT, maxReceiveMessageSize);
  }

  void setServerWindow(int serverWindow) {
    this.readyLimit = (long) serverWindow + ON_READY_THRESHOLD;
  }

  @Override
  public HeaderSink requestHeaders() {
    return this;
  }

  /** One request header field; only before {@link #start()}. */
  @Override
  public void add(CharSequence name, CharSequence value) {
    headerFields.add(name);
    headerFields.add(value);
  }

  @Override
  public void start() {
    transport.startStream(this, headerFields);
  }

  void setPeer(InProcessServerStream server) {
    this.server = server;
  }

  /** The server's side: set by the transport before it hands this stream out. */
  private InProcessServerStream server() {
    return Objects.requireNonNull(server, "the stream has no server side yet");
  }

  // ---- application side (any thread) ----

  @Override
  public void writeMessage(ByteBuf framed, boolean flush) {
    int[] op = InProcessSerializer.enterClientOperation();
    try {
      unconsumed.addAndGet(framed.readableBytes());
      transport.clientStats().messageSent();
      server().inbound(framed, false);
    } finally {
      InProcessSerializer.exitClientOperation(op);
    }
  }

  @Override
  public void halfClose() {
    int[] op = InProcessSerializer.enterClientOperation();
    try {
      server().inbound(Unpooled.EMPTY_BUFFER, true);
    } finally {
      InProcessSerializer.exitClientOperation(op);
    }
  }

  @Override
  public void cancel(Status status) {
    int[] op = InProcessSerializer.enterClientOperation();
    try {
      serializer.execute(() -> closeNow(status, new Metadata(), RpcProgress.PROCESSED));
      server().cancelByClient(Status.CANCELLED.withDescription("Cancelled by the client"));
    } finally {
      InProcessSerializer.exitClientOperation(op);
    }
  }

  @Override
  public void request(int n) {
    int[] op = InProcessSerializer.enterClientOperation();
    try {
      // With nothing buffered, asking for more only raises the demand: no listener call, so it
      // may run here even under the caller's call lock, and the common case needs no hand-off.
      serializer.executeQuietly(() -> !deframer.hasBufferedBytes() && deferredStatus == null,
          () -> {
            if (!deframer.isClosed()) {
              deframer.request(n);
            }
          });
    } finally {
      InProcessSerializer.exitClientOperation(op);
    }
  }

  @Override
  public boolean isReady() {
    return unconsumed.get() < readyLimit;
  }

  @Override
  public Attributes attributes() {
    return transport.attributes();
  }

  // ---- from the server (any thread) ----

  /** The server's deframer consumed {@code n} request bytes: the flow-control credit returns. */
  void requestBytesConsumed(int n) {
    long before = unconsumed.getAndAdd(-n);
    if (before >= readyLimit && before - n < readyLimit) {
      serializer.execute(() -> {
        if (!closed) {
          listener.onReady();
        }
      });
    }
  }

  /** Response headers, already copied as a peer would receive them. */
  void headers(Metadata headers, @Nullable String encoding, long headerListSize) {
    serializer.execute(() -> {
      if (closed || deferredStatus != null || headersReceived) {
        return;
      }
      headersReceived = true;
      if (tooLarge(headerListSize)) {
        return;
      }
      if (encoding != null) {
        Compressor c = transport.options().compressors().lookup(encoding);
        if (c == null) {
          failLocally(Status.INTERNAL.withDescription(
              "The server compressed responses with '" + encoding + "', which this client does "
                  + "not support; register it in the channel's CompressorRegistry"));
          return;
        }
        deframer.setDecompressor(c);
      }
      listener.onHeaders(headers);
    });
  }

  /** One framed response message; this side owns it. */
  void message(ByteBuf framed) {
    serializer.execute(() -> {
      if (closed || deferredStatus != null || !headersReceived) {
        int n = framed.readableBytes();
        framed.release();
        server().responseBytesConsumed(n);
        return;
      }
      deframer.deframe(framed, false);
    });
  }

  /**
   * The server's status and trailers. Messages before them are delivered first (as requested);
   * a Trailers-Only response (no headers before) closes at once.
   */
  void trailers(Status status, Metadata trailers, long headerListSize) {
    serializer.execute(() -> {
      if (closed || deferredStatus != null) {
        return;
      }
      boolean trailersOnly = !headersReceived;
      headersReceived = true;
      if (tooLarge(headerListSize)) {
        return;
      }
      if (trailersOnly) {
        closeNow(status, trailers, RpcProgress.PROCESSED);
        return;
      }
      deferredStatus = status;
      deferredTrailers = trailers;
      deframer.deframe(Unpooled.EMPTY_BUFFER, true);
    });
  }

  /** The server reset the stream (its cancel): undelivered messages are dropped. */
  void resetByServer(Status status) {
    serializer.execute(() -> closeNow(status, new Metadata(), RpcProgress.PROCESSED));
  }

  // ---- from the transport ----

  /** Closes a stream the transport could not start. */
  void closeFromTransport(Status status, RpcProgress progress) {
    serializer.execute(() -> closeNow(status, new Metadata(), progress));
  }

  /** The client's connection was shut down now: fail this call and reset it at the server. */
  void cancelByTransport(Status status) {
    serializer.execute(() -> closeNow(status, new Metadata(), RpcProgress.PROCESSED));
    server().cancelByClient(Status.CANCELLED.withDescription(
        "The client's connection closed before the call completed"));
  }

  // ---- serializer ----

  private boolean tooLarge(long headerListSize) {
    int max = transport.options().maxHeaderListSize();
    if (headerListSize <= max) {
      return false;
    }
    failLocally(Status.INTERNAL.withDescription("Response headers too large: " + headerListSize
        + " bytes exceed this client's limit of " + max + " (maxHeaderListSize)"));
    return true;
  }

  /** This side broke the stream (bad response): close it and reset it at the server. */
  private void failLocally(Status status) {
    closeNow(status, new Metadata(), RpcProgress.PROCESSED);
    server().cancelByClient(Status.CANCELLED.withDescription("Cancelled by the client"));
  }

  private void closeNow(Status status, Metadata trailers, RpcProgress progress) {
    if (closed) {
      return;
    }
    closed = true;
    deframer.close();
    transport.clientStats().streamEnded(status.isOk());
    listener.onClose(status, trailers, progress);
  }

  // ---- MessageDeframer.Listener (serializer) ----

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
    transport.clientStats().messageReceived();
    listener.onMessage(message, compressed);
  }

  @Override
  public void bytesRead(int numBytes) {
    server().responseBytesConsumed(numBytes);
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
      failLocally(status);
    }
  }
}
