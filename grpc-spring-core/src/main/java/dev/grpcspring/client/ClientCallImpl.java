package dev.grpcspring.client;

import dev.grpcspring.Attributes;
import dev.grpcspring.CallOptions;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Code;
import dev.grpcspring.Context;
import dev.grpcspring.Deadline;
import dev.grpcspring.Marshaller;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.codec.Compressor;
import dev.grpcspring.credentials.PerRpcCredentials;
import dev.grpcspring.internal.SerializingExecutor;
import dev.grpcspring.serviceconfig.MethodConfig;
import dev.grpcspring.protocol.CallHeader;
import dev.grpcspring.transport.ClientTransport;
import dev.grpcspring.protocol.GrpcHeaders;
import dev.grpcspring.protocol.MessageFramer;
import dev.grpcspring.transport.ClientTransportStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A call on a {@link ClientConn} (grpc-go's {@code clientStream}): its surface (the listener,
 * deadline, context, credentials, framing and the final close). Its attempts ({@link CsAttempt},
 * each a pick plus one HTTP/2 stream) are run by its {@link AttemptDriver}, which keeps the request
 * for replay until the call commits to an attempt, and decides what follows an attempt that failed.
 *
 * <p>Listener callbacks run one at a time on the call's executor ({@link CallOptions#getExecutor()}
 * or the channel's), never on an event loop unless a direct executor was chosen.
 */
final class ClientCallImpl<ReqT, RespT> extends ClientCall<ReqT, RespT> {
  private static final Logger log = Logger.getLogger(ClientCallImpl.class.getName());
  private final ClientConn cc;
  private final MethodDescriptor<ReqT, RespT> method;
  private final CallOptions callOptions;
  private final Context context;
  private final Marshaller<ReqT> requestMarshaller;
  private final Marshaller<RespT> responseMarshaller;
  private final @Nullable String contentSubtype;
  private final SerializingExecutor callbacks;
  /** The method config seen when the call was made; re-read once the channel has resolved. */
  private final MethodConfig initialConfig;
  // The method config read when the first attempt got a transport (the channel had resolved by
  // then); the retry or hedging policy comes from the same one. Guarded by lock.
  private @Nullable MethodConfig resolvedConfig;
  private final int maxSend;
  private final long startNanos = System.nanoTime();
  private final Context.CancellationListener contextListener = this::contextCancelled;

  /** Guards the call's state and its {@link AttemptDriver}'s. */
  final Object lock = new Object();
  private final AttemptDriver attempts;
  // Guarded by lock.
  private @Nullable Listener<RespT> listener;
  private boolean started;
  private boolean closed;
  private boolean enteredChannel;
  private @Nullable Deadline deadline;
  private @Nullable ScheduledFuture<?> deadlineTimer;
  // What the request headers are made of, set by start(); the header itself is made at the first
  // pick (the way out reads client, balancer, protocol, transport) and again if the deadline moves.
  private @Nullable Metadata metadata;
  private @Nullable Compressor compressor;
  private @Nullable CallHeader header;
  // Made at the first message, with the compressor start() chose.
  private @Nullable MessageFramer framer;
  private boolean messageCompression = true;
  private @Nullable Status closeStatus;

  // Only touched from the callbacks serializer.
  private boolean listenerClosed;
  private boolean headersDelivered;
  /** Whether the message being delivered to onMessage right now arrived compressed. */
  private volatile boolean inboundMessageCompressed;

  ClientCallImpl(ClientConn cc, MethodDescriptor<ReqT, RespT> method, CallOptions callOptions) {
    this.cc = cc;
    this.method = method;
    this.callOptions = callOptions;
    this.context = Context.current();
    CallCodec codec = callOptions.getOption(ClientCallOptions.CODEC);
    if (codec != null) {
      this.requestMarshaller = codec.marshaller(method.getRequestMarshaller());
      this.responseMarshaller = codec.marshaller(method.getResponseMarshaller());
      this.contentSubtype = codec.name();
    } else {
      this.requestMarshaller = method.getRequestMarshaller();
      this.responseMarshaller = method.getResponseMarshaller();
      this.contentSubtype = callOptions.getOption(ClientCallOptions.CONTENT_SUBTYPE);
    }
    this.callbacks = new SerializingExecutor(
        callOptions.getExecutor() != null ? callOptions.getExecutor() : cc.executor());
    this.initialConfig = cc.methodConfig(method.getFullMethodName());
    this.maxSend = min(callOptions.getMaxOutboundMessageSize(), initialConfig.maxRequestMessageBytes(),
        Integer.MAX_VALUE);
    this.attempts = new AttemptDriver(this, cc, method.getFullMethodName(), callOptions);
  }

  private static int min(@Nullable Integer a, @Nullable Integer b, int dflt) {
    if (a == null) {
      return b == null ? dflt : b;
    }
    return b == null ? a : Math.min(a, b);
  }

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    synchronized (lock) {
      if (started) {
        throw new IllegalStateException("Call already started");
      }
      started = true;
      this.listener = listener;
      if (closed) {
        // Cancelled before start: the close ran without a listener, so tell this one now.
        // A close always records its status.
        Status s = Objects.requireNonNull(closeStatus, "closeStatus");
        callback(() -> {
          if (!listenerClosed) {
            listenerClosed = true;
            listener.onClose(s, new Metadata());
          }
        });
        return;
      }
      enteredChannel = true;
    }
    cc.enterCall();
    // Effective deadline: the smallest of the call's, the context's and the method config's.
    Deadline d = callOptions.getDeadline();
    Deadline ctxDeadline = context.getDeadline();
    if (ctxDeadline != null && (d == null || ctxDeadline.isBefore(d))) {
      d = ctxDeadline;
    }
    if (initialConfig.timeout() != null) {
      Deadline mc = Deadline.after(initialConfig.timeout());
      if (d == null || mc.isBefore(d)) {
        d = mc;
      }
    }
    if (context.isCancelled()) {
      closeCall(statusFromContext(), new Metadata());
      return;
    }
    if (d != null && d.isExpired()) {
      closeCall(Status.DEADLINE_EXCEEDED.withDescription(
          "Deadline passed before the call started (" + d + ")"), new Metadata());
      return;
    }
    String compressorName = callOptions.getCompressor();
    Compressor compressor = null;
    if (compressorName != null && !compressorName.equals("identity")) {
      compressor = cc.compressors().lookup(compressorName);
      if (compressor == null) {
        closeCall(Status.INTERNAL.withDescription("Compressor is not installed for requested "
            + "grpc-encoding '" + compressorName + "'"), new Metadata());
        return;
      }
    }
    List<PerRpcCredentials> creds = new ArrayList<>(cc.channelCredentials());
    PerRpcCredentials callCreds = callOptions.getOption(ClientCallOptions.PER_RPC_CREDENTIALS);
    if (callCreds != null) {
      if (callCreds.requireTransportSecurity()
          && !cc.credentials().isSecure()) {
        closeCall(Status.UNAUTHENTICATED.withDescription("Per-RPC credentials " + callCreds
            + " require transport security, but the channel to " + cc.target()
            + " is plaintext"), new Metadata());
        return;
      }
      creds.add(callCreds);
    }
    Metadata md = new Metadata();
    md.merge(headers);
    synchronized (lock) {
      deadline = d;
      this.compressor = compressor;
      this.metadata = md;
      if (d != null && !closed) {
        long nanos = d.timeRemaining(TimeUnit.NANOSECONDS);
        deadlineTimer = cc.scheduler().schedule(this::deadlineExpired, nanos, TimeUnit.NANOSECONDS);
      }
    }
    context.addListener(contextListener, Runnable::run);
    if (creds.isEmpty()) {
      firstAttempt();
      return;
    }
    String authority = callOptions.getAuthority() != null ? callOptions.getAuthority() : cc.authority();
    PerRpcCredentials.RequestInfo info = new PerRpcCredentials.RequestInfo(authority,
        method.getFullMethodName(), cc.credentials().securityProtocol(),
        cc.credentials().securityLevel());
    PerRpcCredentialsFetch.fetch(creds, info).whenComplete((extra, err) -> {
      if (err != null) {
        closeCall(PerRpcCredentialsFetch.statusOf(err), new Metadata());
        return;
      }
      synchronized (lock) {
        metadataLocked().merge(extra);
      }
      firstAttempt();
    });
  }

  private void firstAttempt() {
    CsAttempt a;
    synchronized (lock) {
      if (closed) {
        return;
      }
      a = attempts.firstAttemptLocked();
    }
    cc.pickerWrapper().pick(a);
  }

  /**
   * Wait-for-ready: the call's own choice, else the method config in use now. Picks ask this each
   * time, so a config that arrives with the first resolution (after the call started) applies.
   */
  boolean waitForReady() {
    Boolean wfr = callOptions.getWaitForReady();
    if (wfr != null) {
      return wfr;
    }
    return Boolean.TRUE.equals(cc.methodConfig(method.getFullMethodName()).waitForReady());
  }

  /** The method config this call follows: the resolved one once known, else the channel's now. */
  MethodConfig methodConfigLocked() {
    return resolvedConfig != null ? resolvedConfig : cc.methodConfig(method.getFullMethodName());
  }

  /**
   * Applies the method config in use once the call has a transport (so the channel has resolved,
   * and a config from the resolver is known): a shorter timeout moves the deadline, measured from
   * the call's start. Returns the receive limit.
   */
  int applyResolvedConfigLocked() {
    MethodConfig mc = cc.methodConfig(method.getFullMethodName());
    resolvedConfig = mc;
    Duration timeout = mc.timeout();
    if (timeout != null && mc != initialConfig) {
      long left = timeout.toNanos() - (System.nanoTime() - startNanos);
      Deadline d = Deadline.after(left, TimeUnit.NANOSECONDS);
      if (deadline == null || d.isBefore(deadline)) {
        deadline = d;
        header = null; // made again with the new deadline
        if (deadlineTimer != null) {
          deadlineTimer.cancel(false);
        }
        deadlineTimer = cc.scheduler().schedule(this::deadlineExpired,
            d.timeRemaining(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS);
      }
    }
    return min(callOptions.getMaxInboundMessageSize(), mc.maxResponseMessageBytes(),
        DialOptions.DEFAULT_MAX_RECEIVE_MESSAGE_SIZE);
  }

  @Override
  public void request(int numMessages) {
    if (numMessages <= 0) {
      throw new IllegalArgumentException("request(" + numMessages + "): the count must be positive");
    }
    synchronized (lock) {
      attempts.requestLocked(numMessages);
    }
  }

  @Override
  public void sendMessage(ReqT message) {
    MessageFramer f;
    synchronized (lock) {
      if (!started) {
        throw new IllegalStateException("sendMessage before start");
      }
      if (closed) {
        return; // the call already ended; its listener hears why
      }
      f = framer;
      if (f == null) {
        f = new MessageFramer(ByteBufAllocator.DEFAULT, maxSend,
            ClientTransportStream.FRAME_HEADROOM);
        f.setCompressor(compressor);
        f.setMessageCompression(messageCompression);
        framer = f;
      }
    }
    ByteBuf framed;
    try {
      framed = f.frame(message, requestMarshaller);
    } catch (StatusException e) {
      cancelInternal(e.getStatus());
      return;
    } catch (RuntimeException e) {
      cancelInternal(Status.INTERNAL.withDescription("Failed to serialize the request: " + e)
          .withCause(e));
      return;
    }
    synchronized (lock) {
      if (closed) {
        framed.release();
        return;
      }
      attempts.sendLocked(framed);
    }
  }

  @Override
  public void halfClose() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      attempts.halfCloseLocked();
    }
  }

  @Override
  public void cancel(@Nullable String message, @Nullable Throwable cause) {
    Status s = Status.CANCELLED.withDescription(message == null ? "Call cancelled by the client" : message);
    cancelInternal(cause == null ? s : s.withCause(cause));
  }

  @Override
  public boolean isReady() {
    synchronized (lock) {
      return !closed && attempts.isReadyLocked();
    }
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    synchronized (lock) {
      messageCompression = enabled;
      if (framer != null) {
        framer.setMessageCompression(enabled);
      }
    }
  }

  @Override
  public boolean isInboundMessageCompressed() {
    return inboundMessageCompressed;
  }

  @Override
  public Attributes getAttributes() {
    synchronized (lock) {
      return attempts.transportAttributesLocked();
    }
  }

  // ---- attempt events ----

  /** Null if the call's own authority (if any) is valid for the transport's TLS peer. */
  @Nullable Status checkCallAuthority(ClientTransport transport) {
    String callAuthority = callOptions.getAuthority();
    // Most calls have no authority of their own and need nothing from the transport here.
    return callAuthority == null ? null : CallAuthorityCheck.check(callAuthority, transport.attributes());
  }

  /** The call's metadata; start() sets it before any attempt can run. */
  Metadata metadataLocked() {
    return Objects.requireNonNull(metadata, "metadata");
  }

  /** The call's request headers, made from what start() set, at the first pick. */
  CallHeader headerLocked() {
    CallHeader h = header;
    if (h == null) {
      Compressor c = compressor;
      String callAuthority = callOptions.getAuthority();
      h = new CallHeader(GrpcHeaders.path(method),
          callAuthority != null ? callAuthority : cc.authorityAscii(), deadline, contentSubtype,
          c == null ? null : c.name(), cc.acceptEncodingAscii(), cc.userAgentAscii(),
          metadataLocked());
      header = h;
    }
    return h;
  }

  boolean clientSendsOneMessage() {
    return method.getType().clientSendsOneMessage();
  }

  /** An attempt has its stream: tell the listener it may send. */
  void streamStarted() {
    if (clientSendsOneMessage()) {
      return; // as grpc-java: a call that sends one message has no use for onReady
    }
    callback(() -> {
      if (!listenerClosed) {
        listener().onReady();
      }
    });
  }

  /**
   * Records the attempt's peer for {@link ClientCallOptions#withPeerCapture}, before its stream
   * is sent: once sent, the call may end (and its caller read the peer) at any moment.
   */
  void capturePeer(ClientTransport transport) {
    AtomicReference<Peer> peer = callOptions.getOption(ClientCallOptions.PEER_CAPTURE);
    if (peer != null) {
      Attributes attrs = transport.attributes();
      peer.set(new Peer(attrs.get(Attributes.REMOTE_ADDRESS), attrs.get(Attributes.LOCAL_ADDRESS),
          cc.credentials().securityProtocol(), attrs));
    }
  }

  /** The committed attempt's response headers. */
  void deliverHeaders(Metadata headers) {
    callback(() -> {
      if (listenerClosed) {
        return;
      }
      headersDelivered = true;
      AtomicReference<Metadata> capture = callOptions.getOption(ClientCallOptions.HEADER_CAPTURE);
      if (capture != null) {
        capture.set(headers);
      }
      try {
        listener().onHeaders(headers);
      } catch (Throwable t) {
        cancelInternal(Status.CANCELLED.withDescription("The call's listener threw in onHeaders")
            .withCause(t));
      }
    });
  }

  /** A response message of attempt {@code a}, dropped (released) unless it is the current one. */
  void deliverMessage(CsAttempt a, ByteBuf message, boolean compressed) {
    callback(() -> {
      try {
        if (listenerClosed || !attempts.isCurrent(a)) {
          return;
        }
        RespT m;
        try {
          m = responseMarshaller.parse(message);
        } catch (StatusException e) {
          cancelInternal(e.getStatus());
          return;
        } catch (RuntimeException e) {
          cancelInternal(Status.INTERNAL.withDescription("Failed to parse the response: " + e)
              .withCause(e));
          return;
        }
        inboundMessageCompressed = compressed;
        try {
          listener().onMessage(m);
        } catch (Throwable t) {
          cancelInternal(Status.CANCELLED.withDescription("The call's listener threw in onMessage")
              .withCause(t));
        } finally {
          inboundMessageCompressed = false;
        }
      } finally {
        message.release();
      }
    });
  }

  void deliverReady(CsAttempt a) {
    if (clientSendsOneMessage()) {
      return;
    }
    callback(() -> {
      if (!listenerClosed && attempts.isCurrent(a)) {
        listener().onReady();
      }
    });
  }

  /** The listener; callbacks that reach it are queued only after start() has set it. */
  private Listener<RespT> listener() {
    return Objects.requireNonNull(listener, "listener");
  }

  // ---- ending ----

  private void deadlineExpired() {
    Deadline d;
    synchronized (lock) {
      d = deadline;
    }
    long over = d == null ? 0 : -d.timeRemaining(TimeUnit.NANOSECONDS);
    cancelInternal(Status.DEADLINE_EXCEEDED.withDescription(String.format(
        "Deadline exceeded (%.3fs past the deadline)%s", over / 1e9, pendingDescription())));
  }

  private String pendingDescription() {
    synchronized (lock) {
      return attempts.pendingDescriptionLocked();
    }
  }

  private void contextCancelled(Context ctx) {
    cancelInternal(statusFromContext());
  }

  private Status statusFromContext() {
    Throwable cause = context.cancellationCause();
    if (cause instanceof TimeoutException) {
      return Status.DEADLINE_EXCEEDED.withDescription("The enclosing context's deadline passed")
          .withCause(cause);
    }
    Status s = Status.CANCELLED.withDescription("The enclosing context was cancelled");
    return cause == null ? s : s.withCause(cause);
  }

  /** Ends the call now with {@code status}, resetting its stream if it has one. */
  private void cancelInternal(Status status) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      attempts.cancelLocked(status);
    }
    closeCall(status, new Metadata());
  }

  void closeCall(Status status, Metadata trailers) {
    boolean exit;
    Deadline d;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      closeStatus = status;
      attempts.endLocked();
      if (deadlineTimer != null) {
        deadlineTimer.cancel(false);
      }
      exit = enteredChannel;
      d = deadline;
    }
    context.removeListener(contextListener);
    Status finalStatus = status;
    if (status.getCode() == Code.CANCELLED && d != null && d.isExpired()) {
      // A cancellation at or after the deadline is a deadline failure (PROTOCOL-HTTP2).
      finalStatus = Status.DEADLINE_EXCEEDED.withDescription(status.getDescription())
          .withCause(status.getCause());
    }
    if (exit) {
      cc.exitCall(finalStatus.isOk());
    }
    RetryThrottler throttler = cc.serviceConfigs().throttler();
    if (throttler != null && finalStatus.isOk()) {
      throttler.onSuccess();
    }
    Status s = finalStatus;
    callback(() -> {
      if (listenerClosed) {
        return;
      }
      if (!headersDelivered) {
        AtomicReference<Metadata> h = callOptions.getOption(ClientCallOptions.HEADER_CAPTURE);
        if (h != null) {
          h.compareAndSet(null, new Metadata());
        }
      }
      AtomicReference<Metadata> capture = callOptions.getOption(ClientCallOptions.TRAILER_CAPTURE);
      if (capture != null) {
        capture.set(trailers);
      }
      Listener<RespT> l;
      synchronized (lock) {
        l = listener;
      }
      if (l == null) {
        return; // not started: start() delivers the close
      }
      listenerClosed = true;
      l.onClose(s, trailers);
    });
  }

  /**
   * Queues a listener callback behind the others. When the call's executor refuses it, the
   * callback is lost: that is logged, as the executor's owner must hear of it (a rejecting
   * executor leaves its calls' listeners waiting).
   */
  private void callback(Runnable r) {
    try {
      callbacks.execute(r);
    } catch (RejectedExecutionException e) {
      log.log(Level.SEVERE, "The executor of " + this + " rejected a listener callback; the"
          + " listener will not hear it. Keep the call's executor running while calls are open", e);
    }
  }

  @Override
  public String toString() {
    return "ClientCall{" + method.getFullMethodName() + "}";
  }
}
