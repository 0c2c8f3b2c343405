package dev.grpcspring.transport;

import dev.grpcspring.protocol.MetadataCodec;
import dev.grpcspring.protocol.GrpcHeaders;

import dev.grpcspring.Attributes;
import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.channelz.SocketStats;
import dev.grpcspring.channelz.SocketView;
import dev.grpcspring.codec.Compressor;
import dev.grpcspring.protocol.GrpcTimeout;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The server side of one HTTP/2 connection (grpc-go's {@code http2Server}; grpc-java's
 * {@code NettyServerHandler}): validates requests, turns streams into
 * {@link Http2ServerStream}s for the server, moves DATA into their deframers, and runs the graceful
 * GOAWAY dance. Built on {@link Http2ConnectionHandler} directly (not the child-channel API) to keep
 * per-stream cost low. Everything here runs on the connection's event loop.
 */
public final class Http2Server extends Http2ConnectionHandler
    implements Http2FrameListener, ServerTransport {
  private static final Logger log = Logger.getLogger(Http2Server.class.getName());

  /** The PING payload of a graceful shutdown (grpc-java's value, so traces read the same). */
  static final long GRACEFUL_SHUTDOWN_PING = 0x97ACEF001L;
  static final long GRACEFUL_SHUTDOWN_PING_TIMEOUT_SECONDS = 10;
  /** GOAWAY debug data for a client that pings too often (gRFC A8; clients look for it). */
  static final String TOO_MANY_PINGS = "too_many_pings";
  /** PING payload of the server's keepalive ("keepaliv" in ASCII). */
  static final long KEEPALIVE_PING = 0x6b656570616c6976L;
  private static final AtomicBoolean teWarningLogged = new AtomicBoolean();


  private final ServerTransportListener transportListener;
  private final ServerTransportConfig config;
  /** Null when the windows are fixed. */
  private final @Nullable BdpPinger bdp;
  private final KeepAliveEnforcer enforcer;
  /** The HPACK encoder of the frame writer, for HEADERS written directly (one dynamic table). */
  private final Http2HeadersEncoder hpack;
  private final ServerFrameGuard guard;
  private final Http2Connection.PropertyKey streamKey;
  private final @Nullable AsciiString acceptEncoding;
  /** Response headers without metadata or grpc-encoding; shared by the streams, read only. */
  private final Http2Headers plainResponseHeaders;
  private final EarlyResponses early = new EarlyResponses(this);
  private @Nullable ChannelHandlerContext ctx;
  private @Nullable ControlBuffer controlBuf;
  /** Written on the event loop; volatile for channelz, which reads it from elsewhere. */
  private volatile Attributes attributes = Attributes.EMPTY;
  /** The TLS implementation of a TLS connection, for channelz; null for plaintext. */
  private volatile @Nullable String tlsProvider;
  private boolean settingsReceived;
  private @Nullable ScheduledFuture<?> handshakeTimer;
  private boolean gracefulShutdownStarted;
  /** The debug data of our GOAWAYs: why the connection is drained. */
  private String goAwayReason = "graceful_shutdown";
  private final ServerConnectionTimers timers;
  private boolean finalGoAwaySent;
  private @Nullable ScheduledFuture<?> pingTimer;
  private boolean terminated;
  /** Between a read's first channelRead and its channelReadComplete. */
  private boolean inRead;
  private final SocketStats stats = SocketStats.forOneWriter();
  private final RequestNames names = new RequestNames();
  private final SocketView channelzView = new ServerSocketView(this);

  Http2Server(Http2ConnectionDecoder decoder, ServerFrameGuard encoder,
      Http2Settings settings, ServerTransportListener transportListener,
      ServerTransportConfig config,
      KeepAliveEnforcer enforcer, Http2HeadersEncoder hpack) {
    super(decoder, encoder, settings);
    this.hpack = hpack;
    this.transportListener = transportListener;
    this.config = config;
    this.enforcer = enforcer;
    this.guard = encoder;
    this.timers = new ServerConnectionTimers(this, config.policy());
    this.bdp = config.bdpPing() ? new BdpPinger(this) : null;
    this.streamKey = connection().newKey();
    String accept = config.compressors().acceptEncoding();
    this.acceptEncoding = accept.isEmpty() ? null : AsciiString.of(accept);
    Http2Headers plain = new DefaultHttp2Headers(false);
    plain.status(GrpcHeaders.STATUS_OK);
    plain.add(GrpcHeaders.CONTENT_TYPE, GrpcHeaders.CONTENT_TYPE_GRPC);
    if (acceptEncoding != null) {
      plain.add(GrpcHeaders.GRPC_ACCEPT_ENCODING, acceptEncoding);
    }
    this.plainResponseHeaders = plain;
    // Streams end through our own paths; closing the channel need not wait for them.
    gracefulShutdownTimeoutMillis(0);
    decoder.frameListener(this);
    connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamActive(Http2Stream stream) {
        timers.onStreamActive();
      }

      @Override
      public void onStreamClosed(Http2Stream stream) {
        timers.onStreamClosed(connection().numActiveStreams());
        Http2ServerStream s = stream.getProperty(streamKey);
        if (s != null) {
          s.streamClosed();
        }
        closeIfDrained();
      }

      @Override
      public void onGoAwaySent(int lastStreamId, long errorCode, ByteBuf debugData) {
        stats.goAway(true, errorCode, debugData.toString(StandardCharsets.UTF_8));
      }

      @Override
      public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
        stats.goAway(false, errorCode, debugData.toString(StandardCharsets.UTF_8));
      }
    });
  }

  /** A handler for a new connection, reporting to {@code listener}. */
  public static Http2Server create(ServerTransportListener listener,
      ServerTransportConfig config) {
    return ServerCodec.newHandler(listener, config);
  }

  // ---- for streams and the server ----

  /** The connection as channelz sees it: counters, addresses and flow-control windows. */
  public SocketView channelzView() {
    return channelzView;
  }

  SocketStats stats() {
    return stats;
  }

  /** The context, once the handler is in a pipeline (null before). */
  @Nullable ChannelHandlerContext ctxOrNull() {
    return ctx;
  }

  /** The context: set in handlerAdded, before any event or stream reaches this handler. */
  ChannelHandlerContext ctx() {
    return Objects.requireNonNull(ctx, "the handler is not in a pipeline yet");
  }

  /** The write queue: made in handlerAdded, with the context. */
  ControlBuffer controlBuf() {
    return Objects.requireNonNull(controlBuf, "the handler is not in a pipeline yet");
  }

  Attributes attributes() {
    return attributes;
  }

  /** After the TLS handshake and ALPN check, before the client's preface is read. */
  void tlsEstablished(javax.net.ssl.SSLSession session, String provider) {
    this.tlsProvider = provider;
    this.attributes = TlsPipeline.withSession(attributes, session);
  }

  @Nullable String tlsProvider() {
    return tlsProvider;
  }

  /**
   * Runs {@code task} on this connection's event loop. Once the loop has shut down, the connection
   * is closed and its streams are already ended, so there is nothing left for the task to do.
   */
  private void runOnEventLoop(Runnable task) {
    try {
      eventLoop().execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.log(Level.FINE, "Event loop of " + ctx().channel() + " has shut down; skipping", e);
    }
  }

  EventLoop eventLoop() {
    return ctx().channel().eventLoop();
  }

  ByteBufAllocator alloc() {
    return ctx().alloc();
  }

  /** {@code :status 200}, content-type and the server's grpc-accept-encoding; never modify. */
  Http2Headers plainResponseHeaders() {
    return plainResponseHeaders;
  }

  void addAcceptEncoding(Http2Headers headers) {
    if (acceptEncoding != null) {
      headers.add(GrpcHeaders.GRPC_ACCEPT_ENCODING, acceptEncoding);
    }
  }

  /** Hands consumed bytes back to the local flow controller (it sends WINDOW_UPDATE as needed). */
  void returnProcessedBytes(Http2Stream stream, int bytes) {
    if (bytes <= 0 || stream.state() == Http2Stream.State.CLOSED) {
      return;
    }
    try {
      decoder().flowController().consumeBytes(stream, bytes);
    } catch (Http2Exception e) {
      onError(ctx, true, e);
    }
  }

  /**
   * Writes one message's DATA frame (not END_STREAM): straight to the channel when the windows
   * allow ({@link DirectFrameWrite}), otherwise through the encoder's flow controller.
   */
  void writeData(Http2Stream stream, ByteBuf frame, ChannelPromise promise) {
    if (DirectFrameWrite.tryWriteData(ctx(), encoder(), this, stream, frame, false, promise)) {
      enforcer.resetCounters(); // as DataWriteMonitor does for frames the encoder writes
    } else {
      encoder().writeData(ctx(), stream.id(), frame, 0, false, promise);
    }
  }

  /**
   * Writes a HEADERS frame of {@code stream}: straight to the channel when it may
   * ({@link DirectFrameWrite}), otherwise through the encoder.
   */
  void writeHeaders(Http2Stream stream, Http2Headers headers, boolean endStream,
      ChannelPromise promise) {
    if (DirectFrameWrite.tryWriteHeaders(ctx(), encoder(), hpack, this, stream, headers, endStream,
        promise)) {
      enforcer.resetCounters(); // as DataWriteMonitor does for frames the encoder writes
    } else {
      encoder().writeHeaders(ctx(), stream.id(), headers, 0, endStream, promise);
    }
  }

  /**
   * Writes the DATA the flow controller holds for {@code stream} now, as far as the windows and the
   * channel allow (not flushed), so that trailers written next go straight to the frame writer: queued
   * behind that DATA they would wait in the flow controller as one more object, with a second
   * listener on their promise, per call. Order on the wire is the same either way.
   */
  void writePendingData(Http2Stream stream) {
    Http2RemoteFlowController flowController = encoder().flowController();
    if (flowController.hasFlowControlled(stream)) {
      try {
        flowController.writePendingBytes();
      } catch (Http2Exception e) {
        onError(ctx, true, e);
      }
    }
  }

  /**
   * After our trailers went out: if the client is still sending, tell it to stop with
   * RST_STREAM(NO_ERROR), as the spec asks.
   */
  void resetIfClientStillSending(Http2Stream stream) {
    if (stream.state() == Http2Stream.State.HALF_CLOSED_LOCAL) {
      resetStream(ctx(), stream.id(), Http2Error.NO_ERROR.code(), ctx().newPromise());
      ctx().flush();
    }
  }

  /**
   * Starts a graceful shutdown: GOAWAY(2^31-1, NO_ERROR) and a PING; when the PING comes back (or
   * after 10 s), GOAWAY with the real last stream id; the connection closes once its streams end.
   * Any thread.
   */
  public void gracefulShutdown() {
    gracefulShutdown("graceful_shutdown");
  }

  /** {@link #gracefulShutdown()} with {@code reason} as the GOAWAY debug data. */
  void gracefulShutdown(String reason) {
    runOnEventLoop(() -> {
      if (gracefulShutdownStarted || !ctx().channel().isActive()) {
        return;
      }
      gracefulShutdownStarted = true;
      goAwayReason = reason;
      goAway(ctx(), Integer.MAX_VALUE, Http2Error.NO_ERROR.code(),
          ByteBufUtil.writeAscii(ctx().alloc(), reason), ctx().newPromise());
      encoder().writePing(ctx(), false, GRACEFUL_SHUTDOWN_PING, ctx().newPromise());
      pingTimer = ctx().executor().schedule(this::sendFinalGoAway,
          GRACEFUL_SHUTDOWN_PING_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      flush(ctx());
    });
  }

  /** Cancels every stream with {@code status} and closes the connection. Any thread. */
  public void forceClose(Status status) {
    runOnEventLoop(() -> {
      List<Http2ServerStream> streams = new ArrayList<>();
      try {
        connection().forEachActiveStream(stream -> {
          Http2ServerStream s = stream.getProperty(streamKey);
          if (s != null) {
            streams.add(s);
          }
          return true;
        });
      } catch (Http2Exception e) {
        log.log(Level.FINE, "Could not list streams while closing", e);
      }
      for (Http2ServerStream s : streams) {
        s.cancelNow(status);
      }
      flush(ctx());
      ctx().close();
    });
  }

  private void sendFinalGoAway() {
    if (finalGoAwaySent || !ctx().channel().isActive()) {
      return;
    }
    finalGoAwaySent = true;
    if (pingTimer != null) {
      pingTimer.cancel(false);
    }
    goAway(ctx(), connection().remote().lastStreamCreated(), Http2Error.NO_ERROR.code(),
        ByteBufUtil.writeAscii(ctx().alloc(), goAwayReason), ctx().newPromise());
    flush(ctx());
    closeIfDrained();
  }

  private void closeIfDrained() {
    if (finalGoAwaySent && connection().numActiveStreams() == 0 && ctx().channel().isActive()) {
      ctx().close();
    }
  }

  // ---- channel lifecycle ----

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    this.controlBuf = new ControlBuffer(ctx.channel());
    this.attributes = Attributes.newBuilder()
        .set(Attributes.REMOTE_ADDRESS, ctx.channel().remoteAddress())
        .set(Attributes.LOCAL_ADDRESS, ctx.channel().localAddress())
        .build();
    super.handlerAdded(ctx);
    handshakeTimer = ctx.executor().schedule(() -> {
      if (!settingsReceived) {
        log.log(Level.FINE, "Closing {0}: no HTTP/2 preface and SETTINGS within {1} ms",
            new Object[] {ctx.channel(), config.handshakeTimeoutNanos() / 1_000_000});
        ctx.close();
      }
    }, config.handshakeTimeoutNanos(), TimeUnit.NANOSECONDS);
    timers.start(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    timers.onRead();
    if (!inRead) {
      inRead = true;
      transportListener.readStarted();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    // Handlers on the event loop (a direct executor) answered while this read was processed: their
    // responses go out with the read's own flush, in one write, before the loop reads its next
    // connection (not in a drain task that waits for every other connection's read).
    endRead();
    controlBuf().drainBeforeFlush();
    super.channelReadComplete(ctx);
  }

  /** Ends the read in progress, if any: the listener hands off what the read brought. */
  private void endRead() {
    if (inRead) {
      inRead = false;
      transportListener.readComplete();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    endRead(); // closed in the middle of a read: what it brought still reaches the calls
    try {
      super.channelInactive(ctx);
    } finally {
      terminate();
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    endRead();
    try {
      super.handlerRemoved0(ctx);
    } finally {
      terminate();
    }
  }

  private void terminate() {
    if (terminated) {
      return;
    }
    terminated = true;
    timers.stop();
    if (handshakeTimer != null) {
      handshakeTimer.cancel(false);
    }
    if (pingTimer != null) {
      pingTimer.cancel(false);
    }
    transportListener.transportTerminated();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (cause instanceof IOException) {
      // A peer that resets or drops the socket is routine; the streams see it through
      // channelInactive. Passing it on would only log a pipeline-tail warning per disconnect.
      log.log(Level.FINE, "I/O error on " + ctx.channel() + "; closing it", cause);
      ctx.close();
      return;
    }
    super.exceptionCaught(ctx, cause);
  }

  @Override
  protected void handleServerHeaderDecodeSizeError(ChannelHandlerContext ctx, Http2Stream stream) {
    early.headersTooLarge(ctx, stream, config.maxHeaderListSize());
  }

  // ---- frames ----

  @Override
  public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
      int streamDependency, short weight, boolean exclusive, int padding, boolean endOfStream) {
    onHeadersRead(ctx, streamId, headers, padding, endOfStream);
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
      int padding, boolean endOfStream) {
    guard.onHeadersRead();
    Http2Stream http2Stream = connection().stream(streamId);
    if (http2Stream == null) {
      return;
    }
    Http2ServerStream existing = http2Stream.getProperty(streamKey);
    if (existing != null) {
      String problem = RequestHeaders.trailersProblem(headers);
      if (problem != null) {
        early.malformed(http2Stream, problem);
        return;
      }
      // Request trailers carry nothing for gRPC; only their END_STREAM matters.
      if (endOfStream) {
        existing.inboundData(Unpooled.EMPTY_BUFFER, true);
      }
      return;
    }
    String problem = RequestHeaders.requestProblem(headers);
    if (problem != null) {
      early.malformed(http2Stream, problem);
      return;
    }
    CharSequence path = headers.path();
    if (path == null) {
      early.httpError(http2Stream, EarlyResponses.STATUS_404, Code.UNIMPLEMENTED,
          "Expected a :path header, but the request has none");
      return;
    }
    if (path.length() == 0 || path.charAt(0) != '/') {
      early.httpError(http2Stream, EarlyResponses.STATUS_404, Code.UNIMPLEMENTED,
          "Expected :path to start with /: " + path);
      return;
    }
    CharSequence contentType = RequestHeaders.field(headers, RequestHeaders.SLOT_CONTENT_TYPE);
    if (contentType == null) {
      early.httpError(http2Stream, EarlyResponses.STATUS_415, Code.INTERNAL,
          "Content-Type is missing from the request");
      return;
    }
    if (!GrpcHeaders.isGrpcContentType(contentType)) {
      early.httpError(http2Stream, EarlyResponses.STATUS_415, Code.INTERNAL,
          "Content-Type '" + contentType + "' is not supported");
      return;
    }
    CharSequence method = headers.method();
    if (!AsciiString.contentEquals(GrpcHeaders.METHOD_POST, method)) {
      early.httpError(http2Stream, EarlyResponses.STATUS_405, Code.INTERNAL,
          "Method '" + method + "' is not supported");
      return;
    }
    CharSequence te = RequestHeaders.field(headers, RequestHeaders.SLOT_TE);
    if (!AsciiString.contentEquals(GrpcHeaders.TE_TRAILERS, te)
        && teWarningLogged.compareAndSet(false, true)) {
      log.warning("A client sent a request without 'te: trailers'; accepting it. A proxy on the "
          + "way may not pass trailers (logged once)");
    }
    long timeoutNanos = -1;
    CharSequence timeout = RequestHeaders.field(headers, RequestHeaders.SLOT_GRPC_TIMEOUT);
    if (timeout != null) {
      try {
        timeoutNanos = GrpcTimeout.decode(timeout);
      } catch (IllegalArgumentException e) {
        early.trailersOnly(http2Stream,
            Status.INTERNAL.withDescription("Malformed grpc-timeout: " + e.getMessage()));
        return;
      }
    }
    Compressor decompressor = null;
    CharSequence encoding = RequestHeaders.field(headers, RequestHeaders.SLOT_GRPC_ENCODING);
    if (encoding != null && !AsciiString.contentEquals(GrpcHeaders.IDENTITY, encoding)) {
      decompressor = config.compressors().lookup(encoding.toString());
      if (decompressor == null) {
        String accepted = config.compressors().acceptEncoding();
        early.trailersOnly(http2Stream, Status.UNIMPLEMENTED.withDescription(
            "Unsupported grpc-encoding '" + encoding + "'; this server accepts "
                + (accepted.isEmpty() ? "identity" : "identity," + accepted)));
        return;
      }
    }
    CharSequence authority = headers.authority();
    Http2ServerStream stream = new Http2ServerStream(this, http2Stream,
        authority == null ? null : names.authority(authority), timeoutNanos,
        RequestHeaders.field(headers, RequestHeaders.SLOT_GRPC_ACCEPT_ENCODING), decompressor,
        config.maxInboundMessageSize());
    http2Stream.setProperty(streamKey, stream);
    stats.remoteStreamStarted();
    Metadata metadata = MetadataCodec.fromHeaders(headers);
    String fullMethodName = names.methodName(path);
    // As stream.guarded, without a lambda per call.
    try {
      transportListener.handleStream(stream, fullMethodName, metadata);
    } catch (RuntimeException e) {
      stream.failNow(e);
    }
    if (endOfStream) {
      stream.inboundData(Unpooled.EMPTY_BUFFER, true);
    }
  }

  @Override
  public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
      boolean endOfStream) throws Http2Exception {
    guard.onDataRead(data.readableBytes() + padding, endOfStream);
    if (bdp != null) {
      bdp.onDataRead(ctx, data.readableBytes() + padding);
    }
    Http2Stream http2Stream = connection().stream(streamId);
    Http2ServerStream stream = http2Stream == null ? null : http2Stream.getProperty(streamKey);
    if (stream == null) {
      // A stream we already answered (or refused): drop the bytes and return their credit.
      return data.readableBytes() + padding;
    }
    // Payload credit goes back as the application consumes messages; padding at once.
    stream.inboundData(data.retain(), endOfStream);
    return padding;
  }

  @Override
  public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode)
      throws Http2Exception {
    guard.onRstStreamRead();
    Http2Stream http2Stream = connection().stream(streamId);
    Http2ServerStream stream = http2Stream == null ? null : http2Stream.getProperty(streamKey);
    if (stream != null) {
      stream.inboundReset(errorCode);
    }
  }

  @Override
  public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
    if (settingsReceived) {
      return;
    }
    settingsReceived = true;
    if (handshakeTimer != null) {
      handshakeTimer.cancel(false);
    }
    // Open the connection window to match the stream window (our preface has gone out by now).
    Http2Stream connectionStream = connection().connectionStream();
    int delta = config.initialWindowSize()
        - decoder().flowController().initialWindowSize(connectionStream);
    if (delta > 0) {
      try {
        decoder().flowController().incrementWindowSize(connectionStream, delta);
      } catch (Http2Exception e) {
        onError(ctx, false, e);
      }
    }
  }

  @Override
  public void onPingAckRead(ChannelHandlerContext ctx, long data) throws Http2Exception {
    if (bdp != null && bdp.onPingAckRead(ctx, data)) {
      return;
    }
    if (data == GRACEFUL_SHUTDOWN_PING && gracefulShutdownStarted) {
      sendFinalGoAway();
    }
  }

  @Override
  public void onPriorityRead(ChannelHandlerContext ctx, int streamId, int streamDependency,
      short weight, boolean exclusive) {}

  @Override
  public void onSettingsAckRead(ChannelHandlerContext ctx) {}

  @Override
  public void onPingRead(ChannelHandlerContext ctx, long data) throws Http2Exception {
    // Netty has already queued the ACK; a client that struck out then gets GOAWAY and a close.
    if (!enforcer.pingAcceptable(connection().numActiveStreams() > 0)) {
      throw Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM, TOO_MANY_PINGS);
    }
  }

  @Override
  public void onPushPromiseRead(ChannelHandlerContext ctx, int streamId, int promisedStreamId,
      Http2Headers headers, int padding) {}

  @Override
  public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode,
      ByteBuf debugData) {
    if (errorCode != Http2Error.NO_ERROR.code()) {
      log.log(Level.FINE, "Client sent GOAWAY {0}: {1}",
          new Object[] {errorCode, debugData.toString(StandardCharsets.UTF_8)});
    }
  }

  @Override
  public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement) {}

  @Override
  public void onUnknownFrame(ChannelHandlerContext ctx, byte frameType, int streamId,
      Http2Flags flags, ByteBuf payload) {}
}
