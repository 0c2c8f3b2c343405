package dev.grpcspring.transport.inprocess;

import dev.grpcspring.Attributes;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.codec.Compressor;
import dev.grpcspring.protocol.PercentEncoding;
import dev.grpcspring.protocol.GrpcHeaders;
import dev.grpcspring.protocol.GrpcTimeout;
import dev.grpcspring.protocol.MessageDeframer;
import dev.grpcspring.protocol.MetadataCodec;
import dev.grpcspring.transport.ServerStreamListener;
import dev.grpcspring.transport.ServerTransportListener;
import dev.grpcspring.transport.ServerTransportStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The server's side of an in-process stream. Requests arrive through this side's {@link
 * InProcessSerializer} into a deframer with the server's limits and decompressor, exactly as they
 * would from HTTP/2 DATA frames; what the application sends goes straight to the {@link
 * InProcessClientStream} peer. The request's headers are checked as the HTTP/2 server checks them
 * (header list size, {@code :path}, {@code grpc-encoding}) before the call is created.
 */
final class InProcessServerStream implements ServerTransportStream {
  private static final Logger log = Logger.getLogger(InProcessServerStream.class.getName());

  /** What the client's request headers carried, taken on the client's thread. */
  record Request(String path, String authority, long timeoutNanos, @Nullable String encoding,
      @Nullable String acceptEncoding, Metadata metadata, long headerListSize) {
    /**
     * Reads the request header fields (name, value, name, value, ...) as the HTTP/2 server reads a
     * header block: the call's fields by name, the rest through {@link
     * MetadataCodec#fromHeaders}, and the size of the list as HTTP/2 counts it.
     */
    static Request of(List<CharSequence> fields) {
      String path = "";
      String authority = "";
      long timeoutNanos = -1;
      String encoding = null;
      String accept = null;
      long size = 0;
      List<Map.Entry<CharSequence, CharSequence>> entries = new ArrayList<>(fields.size() / 2);
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        CharSequence name = fields.get(i);
        CharSequence value = fields.get(i + 1);
        size += MetadataCodec.headerSize(name, value.length());
        if (AsciiString.contentEquals(name, ":path")) {
          path = value.toString();
        } else if (AsciiString.contentEquals(name, ":authority")) {
          authority = value.toString();
        } else if (AsciiString.contentEquals(name, GrpcHeaders.GRPC_TIMEOUT)) {
          timeoutNanos = GrpcTimeout.decode(value);
        } else if (AsciiString.contentEquals(name, GrpcHeaders.GRPC_ENCODING)) {
          encoding = AsciiString.contentEquals(value, "identity") ? null : value.toString();
        } else if (AsciiString.contentEquals(name, GrpcHeaders.GRPC_ACCEPT_ENCODING)) {
          accept = value.length() == 0 ? null : value.toString();
        } else {
          entries.add(Map.entry(name, value));
        }
      }
      return new Request(path, authority, timeoutNanos, encoding, accept,
          MetadataCodec.fromHeaders(entries), size);
    }
  }

  /** The deadline timers of in-process calls: one daemon thread, made on first use. */
  private static final class Timer {
    static final ScheduledExecutorService INSTANCE = create();

    private static ScheduledExecutorService create() {
      ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, "grpc-spring-inprocess-timer");
        thread.setDaemon(true);
        return thread;
      });
      t.setRemoveOnCancelPolicy(true);
      return t;
    }
  }

  private final InProcessClientTransport transport;
  private final InProcessClientStream client;
  private final Request request;
  private final InProcessBinding.@Nullable Options options;
  private final InProcessSerializer serializer = new InProcessSerializer(null);
  private final MessageDeframer deframer;
  /** Response bytes handed to the client that its deframer has not consumed yet. */
  private final AtomicLong unconsumed = new AtomicLong();
  private final long readyLimit;
  private volatile @Nullable ServerStreamListener listener;
  /** Whether response headers went out (application side; read by the serializer). */
  private volatile boolean headersSent;

  // Serializer state.
  private boolean closed;
  private boolean listenerClosed;

  /** @param options the server's options; null for a stream refused before it started */
  InProcessServerStream(InProcessClientTransport transport, InProcessClientStream client,
      Request request, InProcessBinding.@Nullable Options options) {
    this.transport = transport;
    this.client = client;
    this.request = request;
    this.options = options;
    this.deframer = new MessageDeframer(new DeframerListener(), ByteBufAllocator.DEFAULT,
        options == null ? 0 : options.maxInboundMessageSize());
    this.readyLimit = (long) transport.options().initialWindowSize()
        + InProcessClientStream.ON_READY_THRESHOLD;
  }

  /** The server's options: only a stream refused before it started has none. */
  private InProcessBinding.Options options() {
    return Objects.requireNonNull(options, "a refused stream never starts");
  }

  InProcessClientStream client() {
    return client;
  }

  /** Checks the request's headers as the HTTP/2 server does, then reports the stream. */
  void start(ServerTransportListener transportListener) {
    serializer.execute(() -> {
      transport.serverStats().remoteStreamStarted();
      if (request.headerListSize() > options().maxInboundMetadataSize()) {
        reject(Status.RESOURCE_EXHAUSTED.withDescription(
            "Request headers are larger than the server's limit of "
                + options().maxInboundMetadataSize() + " bytes"));
        return;
      }
      String path = request.path();
      if (path.isEmpty() || path.charAt(0) != '/') {
        reject(Status.UNIMPLEMENTED.withDescription("Expected :path to start with /: " + path));
        return;
      }
      if (request.encoding() != null) {
        Compressor c = options().compressors().lookup(request.encoding());
        if (c == null) {
          String accepted = options().compressors().acceptEncoding();
          reject(Status.UNIMPLEMENTED.withDescription("Unsupported grpc-encoding '"
              + request.encoding() + "'; this server accepts "
              + (accepted.isEmpty() ? "identity" : "identity," + accepted)));
          return;
        }
        deframer.setDecompressor(c);
      }
      String fullMethodName = path.substring(1);
      guarded(() -> transportListener.handleStream(this, fullMethodName, request.metadata()));
    });
  }

  /** A stream the transport refused before the server saw it. */
  void closeUnstarted() {
    serializer.execute(() -> {
      closed = true;
      deframer.close();
    });
  }

  // ---- ServerTransportStream (application side) ----

  @Override
  public void setListener(ServerStreamListener listener) {
    this.listener = listener;
  }

  @Override
  public String authority() {
    return request.authority();
  }

  @Override
  public long timeoutNanos() {
    return request.timeoutNanos();
  }

  @Override
  public @Nullable CharSequence acceptEncoding() {
    return request.acceptEncoding();
  }

  @Override
  public Attributes attributes() {
    return transport.attributes();
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return Timer.INSTANCE;
  }

  @Override
  public ByteBufAllocator alloc() {
    return ByteBufAllocator.DEFAULT;
  }

  @Override
  public void request(int n) {
    serializer.execute(() -> {
      if (!closed) {
        guarded(() -> deframer.request(n));
      }
    });
  }

  @Override
  public boolean isReady() {
    return unconsumed.get() < readyLimit;
  }

  @Override
  public void writeHeaders(Metadata metadata, @Nullable String encoding, boolean flush) {
    if (headersSent) {
      return;
    }
    headersSent = true;
    String enc = encoding == null || encoding.equals(Compressor.IDENTITY.name()) ? null : encoding;
    Metadata md = MetadataCodec.transfer(metadata);
    String accept = options().compressors().acceptEncoding();
    long size = MetadataCodec.headerSize(":status", 3) + MetadataCodec.headerSize("content-type", 16)
        + (enc == null ? 0 : MetadataCodec.headerSize("grpc-encoding", enc.length()))
        + (accept.isEmpty() ? 0 : MetadataCodec.headerSize("grpc-accept-encoding", accept.length()))
        + MetadataCodec.headerListSize(md);
    client.headers(md, enc, size);
  }

  @Override
  public void writeMessage(ByteBuf frame, boolean flush) {
    unconsumed.addAndGet(frame.readableBytes());
    transport.serverStats().messageSent();
    client.message(frame);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    sendTrailers(status, trailers, null);
  }

  @Override
  public void closeWithError(Status status, @Nullable Metadata trailers) {
    sendTrailers(status, trailers, status);
  }

  @Override
  public void cancel(Status status) {
    serializer.execute(() -> {
      if (closed) {
        return;
      }
      endNow(false, status);
      client.resetByServer(Status.CANCELLED.withDescription("Stream reset by the server: "
          + status.getCode() + (status.getDescription() == null ? "" : ", " + status.getDescription())));
    });
  }

  // ---- from the client and the transport ----

  /** Request bytes from the client (a framed message, or the empty half-close); owns them. */
  void inbound(ByteBuf data, boolean endOfStream) {
    serializer.execute(() -> guarded(() -> deframer.deframe(data, endOfStream)));
  }

  /** The client's deframer consumed {@code n} response bytes. */
  void responseBytesConsumed(int n) {
    long before = unconsumed.getAndAdd(-n);
    if (before >= readyLimit && before - n < readyLimit) {
      serializer.execute(() -> {
        ServerStreamListener l = listener;
        if (!closed && l != null) {
          guarded(l::onReady);
        }
      });
    }
  }

  /** The client ended the call (cancel, deadline, broken response, or its connection closed). */
  void cancelByClient(Status status) {
    serializer.execute(() -> {
      if (!closed) {
        endNow(false, status);
      }
    });
  }

  /** The server shut the connection down now: the call fails on both sides. */
  void cancelByTransport(Status status) {
    serializer.execute(() -> {
      if (closed) {
        return;
      }
      endNow(false, status);
      client.resetByServer(Status.UNAVAILABLE.withDescription(status.getDescription()));
    });
  }

  // ---- serializer ----

  private void sendTrailers(Status status, @Nullable Metadata trailers,
      @Nullable Status errorStatus) {
    boolean wereHeadersSent = headersSent;
    headersSent = true;
    // Only what the wire carries crosses: code, description, trailers; never the cause.
    Status wire = Status.fromCode(status.getCode()).withDescription(status.getDescription());
    Metadata md = trailers == null ? new Metadata() : MetadataCodec.transfer(trailers);
    String message = PercentEncoding.encode(status.getDescription());
    long size = MetadataCodec.headerSize("grpc-status", 2)
        + (message == null ? 0 : MetadataCodec.headerSize("grpc-message", message.length()))
        + (wereHeadersSent ? 0 : MetadataCodec.headerSize(":status", 3)
            + MetadataCodec.headerSize("content-type", 16))
        + MetadataCodec.headerListSize(md);
    serializer.execute(() -> {
      if (closed) {
        return; // cancelled first: nothing more reaches the client
      }
      client.trailers(wire, md, size);
      endNow(errorStatus == null, errorStatus == null ? Status.OK : errorStatus);
    });
  }

  /** A request the server refuses before creating a call: Trailers-Only, no listener. */
  private void reject(Status status) {
    closed = true;
    deframer.close();
    transport.serverStats().streamEnded(false);
    client.trailers(status, new Metadata(), 0);
    transport.streamEnded(this);
  }

  private void endNow(boolean succeeded, Status status) {
    closed = true;
    deframer.close();
    transport.serverStats().streamEnded(succeeded);
    transport.streamEnded(this);
    notifyClosed(status);
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
        log.log(Level.WARNING, "Stream listener failed on close of an in-process stream", e);
      }
    }
  }

  /** Stream work whose failure (a bug, or an executor refusing a task) ends only this stream. */
  private void guarded(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Failing an in-process stream after an unexpected error", e);
      Status status = e instanceof RejectedExecutionException
          ? Status.UNAVAILABLE.withDescription("The server could not schedule the call; try again")
          : Status.INTERNAL.withDescription("The server failed processing the call: " + e);
      if (!closed) {
        client.trailers(status, new Metadata(), 0);
        endNow(false, status);
      }
    }
  }

  private final class DeframerListener implements MessageDeframer.Listener {
    @Override
    public void messageRead(ByteBuf message) {
      messageRead(message, false);
    }

    @Override
    public void messageRead(ByteBuf message, boolean compressed) {
      transport.serverStats().messageReceived();
      ServerStreamListener l = listener;
      if (l == null || closed) {
        message.release();
        return;
      }
      l.onMessage(message, compressed);
    }

    @Override
    public void bytesRead(int numBytes) {
      client.requestBytesConsumed(numBytes);
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
      if (!closed) {
        client.trailers(status, new Metadata(), 0);
        endNow(false, status);
      }
    }
  }
}
