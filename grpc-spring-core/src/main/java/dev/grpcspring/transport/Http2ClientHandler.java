package dev.grpcspring.transport;

import dev.grpcspring.Metadata;
import dev.grpcspring.Status;
import dev.grpcspring.channelz.FlowControlWindows;
import dev.grpcspring.transport.ClientStreamListener.RpcProgress;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.DefaultHttp2LocalFlowController;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.StreamBufferingEncoder;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP/2 side of a client connection, on Netty's codec: creates streams (queued by Netty's
 * {@link StreamBufferingEncoder} beyond the server's MAX_CONCURRENT_STREAMS), writes DATA through
 * the remote flow controller, returns receive-window credit only for bytes the application
 * consumed (window update ratio 0.5), and maps GOAWAY, RST_STREAM and connection failures to call
 * statuses. Runs only on its channel's event loop; application threads reach it through the
 * {@link ControlBuffer}.
 */
final class Http2ClientHandler extends Http2ConnectionHandler {
  private static final Logger log = Logger.getLogger(Http2ClientHandler.class.getName());
  private static final float WINDOW_UPDATE_RATIO = 0.5f;
  private static final int MIN_ALLOCATION_CHUNK = 16 * 1024;
  /** PING payload of a keepalive ("keepaliv" in ASCII, to tell it apart in traces). */
  static final long KEEPALIVE_PING = 0x6b656570616c6976L;

  private final Http2Client transport;
  private final IntObjectMap<Http2ClientStream> streams = new IntObjectHashMap<>();
  private @Nullable ChannelHandlerContext ctx;
  private boolean settingsReceived;
  private @Nullable Status shutdownStatus;
  private boolean draining;
  /** Null when the windows are fixed. */
  private @Nullable BdpPinger bdp;
  /** Null when keepalive is off. */
  private @Nullable KeepAliveManager keepAlive;

  private Http2ClientHandler(
      Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
      Http2Client transport) {
    super(decoder, encoder, settings);
    this.transport = transport;
  }

  static Http2ClientHandler create(Http2Client transport, ClientTransportOptions options) {
    Http2Connection connection = new DefaultHttp2Connection(false);
    connection.local().flowController(
        new DefaultHttp2LocalFlowController(connection, WINDOW_UPDATE_RATIO, true));
    UniformStreamByteDistributor distributor = new UniformStreamByteDistributor(connection);
    distributor.minAllocationChunk(MIN_ALLOCATION_CHUNK);
    connection.remote().flowController(new DefaultHttp2RemoteFlowController(connection, distributor));
    // Huffman off for outbound headers: fewer CPU cycles for a few more bytes (grpc-java does too).
    DefaultHttp2HeadersEncoder headersEncoder = new DefaultHttp2HeadersEncoder(
        Http2HeadersEncoder.NEVER_SENSITIVE, false, 16, Integer.MAX_VALUE);
    Http2ConnectionEncoder encoder = new StreamBufferingEncoder(
        new DefaultHttp2ConnectionEncoder(connection, new DefaultHttp2FrameWriter(headersEncoder)));
    DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(
        new DefaultHttp2HeadersDecoder(true, options.maxHeaderListSize()) {
          @Override
          protected Http2Headers newHeaders() {
            return new ArrayHeaders(numberOfHeadersGuess());
          }
        });
    Http2ConnectionDecoder decoder = new DefaultHttp2ConnectionDecoder(connection, encoder, reader);
    Http2Settings settings = new Http2Settings();
    settings.pushEnabled(false);
    settings.initialWindowSize(options.initialWindowSize());
    settings.maxHeaderListSize(options.maxHeaderListSize());
    Http2ClientHandler handler = new Http2ClientHandler(decoder, encoder, settings, transport);
    handler.bdp = options.bdpPing() ? new BdpPinger(handler) : null;
    decoder.frameListener(handler.new FrameListener());
    connection.addListener(handler.new ConnectionListener());
    return handler;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx);
  }

  /** The context: set in handlerAdded, before any event or command reaches this handler. */
  private ChannelHandlerContext ctx() {
    return Objects.requireNonNull(ctx, "the handler is not in a pipeline yet");
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx); // sends the preface and our SETTINGS
    startKeepAlive(ctx);
    int delta = transport.options().initialConnWindowSize() - connection().local().flowController()
        .initialWindowSize(connection().connectionStream());
    if (delta > 0) {
      // The connection window is not a setting: raise it with a WINDOW_UPDATE on stream 0.
      decoder().flowController().incrementWindowSize(connection().connectionStream(), delta);
    }
    ctx.flush();
  }

  private void startKeepAlive(ChannelHandlerContext ctx) {
    ClientKeepAlive ka = transport.options().keepAlive();
    if (!ka.enabled()) {
      return;
    }
    keepAlive = new KeepAliveManager(ctx.executor(), new KeepAliveManager.Pinger() {
      @Override
      public void ping() {
        transport.stats().keepAliveSent();
        encoder().writePing(ctx, false, KEEPALIVE_PING, ctx.newPromise());
        ctx.flush();
      }

      @Override
      public void onPingTimeout() {
        shutdownNow(Status.UNAVAILABLE.withDescription("Keepalive PING to "
            + transport.remoteAddress() + " not answered within "
            + java.time.Duration.ofNanos(ka.timeoutNanos())
            + "; the connection is considered broken"));
      }
    }, ka.timeNanos(), ka.timeoutNanos(), ka.withoutCalls());
    keepAlive.start();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (keepAlive != null) {
      keepAlive.onRead();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (keepAlive != null) {
      keepAlive.stop();
    }
    Status status = shutdownStatus != null
        ? shutdownStatus
        : Status.UNAVAILABLE.withDescription("Connection to " + transport.remoteAddress() + " closed");
    startShutdown(status);
    Status streamStatus = status.getCode() == dev.grpcspring.Code.UNAVAILABLE
        ? status : Status.UNAVAILABLE.withDescription(status.getDescription()).withCause(status.getCause());
    for (Http2ClientStream s : new ArrayList<>(streams.values())) {
      s.transportReportStatus(streamStatus, new Metadata(), RpcProgress.PROCESSED, true);
    }
    try {
      super.channelInactive(ctx);
    } finally {
      transport.reportTerminated();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
      super.exceptionCaught(ctx, cause); // HTTP/2 errors: GOAWAY and close, through onError
      return;
    }
    // I/O failures (connection reset, ...): the connection is gone; calls fail UNAVAILABLE.
    log.log(Level.FINE, "Connection to " + transport.remoteAddress() + " failed", cause);
    startShutdown(Status.UNAVAILABLE.withDescription(
        "Connection to " + transport.remoteAddress() + " failed: " + cause).withCause(cause));
    ctx.close();
  }

  @Override
  protected void onConnectionError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
      Http2Exception http2Ex) {
    log.log(Level.FINE, "HTTP/2 connection error on " + ctx.channel(), cause);
    startShutdown(Status.UNAVAILABLE.withDescription(
        "HTTP/2 connection error: " + cause.getMessage()).withCause(cause));
    super.onConnectionError(ctx, outbound, cause, http2Ex);
  }

  @Override
  protected void onStreamError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
      Http2Exception.StreamException http2Ex) {
    Http2ClientStream s = streams.get(http2Ex.streamId());
    if (s != null) {
      Status status = http2Ex.error() == Http2Error.FRAME_SIZE_ERROR
              || cause.getMessage() != null && cause.getMessage().contains("Header size exceeded")
          ? Status.INTERNAL.withDescription("Response headers too large: " + cause.getMessage())
          : Status.INTERNAL.withDescription("HTTP/2 stream error: " + cause.getMessage());
      s.transportReportStatus(status.withCause(cause), new Metadata(), RpcProgress.PROCESSED, true);
    }
    super.onStreamError(ctx, outbound, cause, http2Ex);
  }

  /** The connection-level windows now (event loop), or null before the handler is active. */
  @Nullable FlowControlWindows flowControlWindows() {
    if (ctx == null) {
      return null;
    }
    Http2Stream conn = connection().connectionStream();
    return new FlowControlWindows(connection().remote().flowController().windowSize(conn),
        connection().local().flowController().windowSize(conn));
  }

  // ---- commands (event loop, from the ControlBuffer) ----

  void createStream(Http2ClientStream stream) {
    if (shutdownStatus != null || !ctx().channel().isActive()) {
      Status s = shutdownStatus != null ? shutdownStatus
          : Status.UNAVAILABLE.withDescription("The connection is not active");
      stream.transportReportStatus(
          Status.UNAVAILABLE.withDescription(s.getDescription()).withCause(s.getCause()),
          new Metadata(), RpcProgress.NOT_SENT, true);
      return;
    }
    int id = connection().local().incrementAndGetNextStreamId();
    if (id < 0) {
      Status s = Status.UNAVAILABLE.withDescription(
          "Stream IDs on this connection are used up; a new connection is needed");
      stream.transportReportStatus(s, new Metadata(), RpcProgress.NOT_SENT, true);
      shutdown(s);
      return;
    }
    stream.id = id;
    if (streams.isEmpty() && keepAlive != null) {
      keepAlive.onCallsActive();
    }
    streams.put(id, stream);
    transport.stats().localStreamStarted();
    ChannelPromise promise = ctx().newPromise();
    encoder().writeHeaders(ctx(), id, stream.headerBlock(), 0, false, promise);
    promise.addListener(stream); // the stream is its own listener: no object per call
  }

  /** The request headers of {@code stream} could not be written. */
  void headersFailed(Http2ClientStream stream, Throwable cause) {
    if (stream.isClosed()) {
      return;
    }
    Status s;
    if (cause instanceof StreamBufferingEncoder.Http2GoAwayException) {
      s = Status.UNAVAILABLE.withDescription(
          "The server sent GOAWAY before this call's stream could start");
    } else if (shutdownStatus != null) {
      s = Status.UNAVAILABLE.withDescription(shutdownStatus.getDescription());
    } else {
      s = Status.UNAVAILABLE.withDescription("Failed to send request headers: " + cause);
    }
    stream.transportReportStatus(s.withCause(cause), new Metadata(), RpcProgress.NOT_SENT, true);
  }

  void writeData(Http2ClientStream stream, ByteBuf data, boolean endStream) {
    if (stream.isClosed() || stream.id < 0) {
      data.release();
      return;
    }
    int n = data.readableBytes();
    if (n > 0) {
      transport.stats().messageSent(); // one framed message per write; the half-close is empty
    }
    ChannelPromise promise = ctx().newPromise();
    Http2Stream http2Stream = connection().stream(stream.id); // null while the encoder buffers it
    if (http2Stream == null || !DirectFrameWrite.tryWriteData(ctx(), encoder(), this, http2Stream, data,
        endStream, promise)) {
      encoder().writeData(ctx(), stream.id, data, 0, endStream, promise);
    }
    if (n > 0 && stream.tracksReadiness()) {
      promise.addListener(f -> stream.onSentBytes(n));
    }
  }

  void cancelStream(Http2ClientStream stream, Status status) {
    stream.transportReportStatus(status, new Metadata(), RpcProgress.PROCESSED, true);
  }

  /** Called when a stream has closed: forget it, and reset it if the server may still send. */
  void streamClosed(Http2ClientStream stream) {
    int id = stream.id;
    if (id < 0) {
      return;
    }
    streams.remove(id);
    if (streams.isEmpty() && keepAlive != null) {
      keepAlive.onCallsIdle();
    }
    // channelz: a client stream succeeded when the server ended it (END_STREAM received).
    transport.stats().streamEnded(stream.isRemoteEnded());
    if (draining && streams.isEmpty()) {
      ctx().executor().execute(this::closeIfDrained); // after this stream's RST goes out
    }
    Http2Stream h2 = connection().stream(id);
    Http2Error code = null;
    if (h2 != null) {
      Http2Stream.State state = h2.state();
      if (stream.isRemoteEnded()) {
        // The server finished. Only if we have not ended our side yet (its trailers came before
        // our END_STREAM) does the stream need a reset, and then NO_ERROR, as the spec asks.
        // (Netty marks the remote side closed only after this callback, so check our side.)
        if ((state == Http2Stream.State.OPEN || state == Http2Stream.State.HALF_CLOSED_REMOTE)
            && !h2.isResetSent()) {
          code = Http2Error.NO_ERROR;
        }
      } else if (state != Http2Stream.State.CLOSED && !h2.isResetSent()) {
        code = Http2Error.CANCEL; // we end it early: cancel, deadline, bad response
      }
    } else if (id > connection().local().lastStreamCreated()) {
      code = Http2Error.CANCEL; // still queued in the buffering encoder: this drops it there
    }
    if (code != null) {
      ChannelPromise promise = ctx().newPromise();
      // Netty closes the stream once the RST is written, inside that flush; StreamBufferingEncoder
      // then writes the next queued stream's HEADERS, which that flush no longer covers. Without a
      // flush of their own, queued calls would wait for unrelated traffic (MAX_CONCURRENT_STREAMS).
      promise.addListener(f -> ctx().executor().execute(() -> flush(ctx())));
      encoder().writeRstStream(ctx(), id, code.code(), promise);
    }
  }

  void returnBytes(Http2ClientStream stream, int n) {
    if (n <= 0 || stream.id < 0) {
      return;
    }
    Http2Stream h2 = connection().stream(stream.id);
    if (h2 == null) {
      return; // Netty gave the connection window back when the stream closed
    }
    try {
      decoder().flowController().consumeBytes(h2, n);
    } catch (Http2Exception e) {
      onError(ctx(), false, e);
    }
  }

  /**
   * No new streams; the connection closes once open streams finish. Nothing is sent until then:
   * some servers end a connection at once on a client's GOAWAY, which would fail calls in flight.
   */
  void shutdown(Status status) {
    startShutdown(status);
    draining = true;
    closeIfDrained();
  }

  private void closeIfDrained() {
    if (draining && streams.isEmpty() && ctx().channel().isOpen()) {
      ctx().close();
    }
  }

  /** Fails every stream with {@code status} and closes the connection now. */
  void shutdownNow(Status status) {
    startShutdown(status);
    for (Http2ClientStream s : new ArrayList<>(streams.values())) {
      s.transportReportStatus(status, new Metadata(), RpcProgress.PROCESSED, true);
    }
    gracefulShutdownTimeoutMillis(0);
    ctx().close();
  }

  private void startShutdown(Status status) {
    if (shutdownStatus == null) {
      shutdownStatus = status;
      transport.reportShutdown(status);
    }
  }

  private void maybeCloseAfterGoAway() {
    if (connection().goAwayReceived() && connection().numActiveStreams() == 0 && streams.isEmpty()
        && ctx().channel().isOpen()) {
      ctx().close();
    }
  }

  private final class FrameListener extends Http2FrameAdapter {
    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
        boolean endOfStream) {
      if (bdp != null) {
        bdp.onDataRead(ctx, data.readableBytes() + padding);
      }
      Http2ClientStream s = streams.get(streamId);
      if (s == null) {
        return data.readableBytes() + padding;
      }
      s.transportDataReceived(data.retain(), endOfStream);
      return padding; // data bytes are returned as the application consumes them
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
        int padding, boolean endOfStream) {
      Http2ClientStream s = streams.get(streamId);
      if (s != null) {
        s.transportHeadersReceived(headers, endOfStream);
      }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
        int streamDependency, short weight, boolean exclusive, int padding, boolean endOfStream) {
      onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      Http2ClientStream s = streams.get(streamId);
      if (s != null) {
        s.transportRstReceived(errorCode);
      }
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) throws Http2Exception {
      if (bdp != null) {
        bdp.onPingAckRead(ctx, data);
      }
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
      if (!settingsReceived) {
        settingsReceived = true;
        transport.reportReady();
      }
    }
  }

  private final class ConnectionListener extends Http2ConnectionAdapter {
    @Override
    public void onGoAwaySent(int lastStreamId, long errorCode, ByteBuf debugData) {
      transport.stats().goAway(true, errorCode, debugData.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
      String debug = debugData.toString(StandardCharsets.UTF_8);
      transport.stats().goAway(false, errorCode, debug);
      Http2Error error = Http2Error.valueOf(errorCode);
      if (error == Http2Error.ENHANCE_YOUR_CALM && "too_many_pings".equals(debug)) {
        transport.options().keepAlive().onTooManyPings(transport.remoteAddress());
      }
      Status status = Status.UNAVAILABLE.withDescription("The server sent GOAWAY ("
          + (error == null ? "error " + errorCode : error) + (debug.isEmpty() ? "" : ", " + debug)
          + ")");
      startShutdown(status);
      List<Http2ClientStream> refused = new ArrayList<>();
      for (IntObjectMap.PrimitiveEntry<Http2ClientStream> e : streams.entries()) {
        if (e.key() > lastStreamId) {
          refused.add(e.value());
        }
      }
      for (Http2ClientStream s : refused) {
        s.transportReportStatus(
            status.augmentDescription("the call's stream was above the last stream id "
                + lastStreamId + ", so the server never processed it"),
            new Metadata(), RpcProgress.REFUSED, true);
        Http2Stream h2 = connection().stream(s.id);
        if (h2 != null) {
          h2.close();
        }
      }
      ctx().executor().execute(Http2ClientHandler.this::maybeCloseAfterGoAway);
    }

    @Override
    public void onStreamClosed(Http2Stream stream) {
      if (connection().goAwayReceived()) {
        ctx().executor().execute(Http2ClientHandler.this::maybeCloseAfterGoAway);
      }
    }
  }
}
