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
import dev.grpcspring.balancer.PickInfo;
import dev.grpcspring.codec.Compressor;
import dev.grpcspring.credentials.PerRpcCredentials;
import dev.grpcspring.internal.CallbackSerializer;
import dev.grpcspring.serviceconfig.MethodConfig;
import dev.grpcspring.transport.CallHeader;
import dev.grpcspring.transport.ClientStreamListener.RpcProgress;
import dev.grpcspring.transport.ClientTransport;
import dev.grpcspring.transport.ClientTransportStream;
import dev.grpcspring.transport.GrpcHeaders;
import dev.grpcspring.transport.MessageFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A call on a {@link ClientConn} (grpc-go's {@code clientStream}): made of attempts ({@link
 * CsAttempt}), each a pick plus one HTTP/2 stream. Until the call commits to an attempt (response
 * headers arrived, it ended, or the request outgrew the retry buffer) every request message and the
 * half-close are kept, so that a new attempt can replay them: for transparent retry of streams
 * the server never processed, and for the method's retry policy ({@link RetryState}).
 *
 * <p>Listener callbacks run one at a time on the call's executor ({@link CallOptions#getExecutor()}
 * or the channel's), never on an event loop unless a direct executor was chosen.
 */
final class ClientCallImpl<ReqT, RespT> extends ClientCall<ReqT, RespT> {
  private final ClientConn cc;
  private final MethodDescriptor<ReqT, RespT> method;
  private final CallOptions callOptions;
  private final Context context;
  private final Marshaller<ReqT> requestMarshaller;
  private final Marshaller<RespT> responseMarshaller;
  private final String contentSubtype;
  private final CallbackSerializer callbacks;
  /** The method config seen when the call was made; re-read once the channel has resolved. */
  private final MethodConfig initialConfig;
  private final int maxSend;
  private final long startNanos = System.nanoTime();
  private final int maxRetryBuffer;
  private final Context.CancellationListener contextListener = this::contextCancelled;

  private final Object lock = new Object();
  // Guarded by lock.
  private Listener<RespT> listener;
  private boolean started;
  private boolean closed;
  private boolean enteredChannel;
  private final ReplayBuffer replay;
  private boolean committed;
  private boolean commitWhenStreamStarts;
  private int requested;
  private volatile CsAttempt attempt;
  private boolean serverRefusalRetried;
  /** Configured retries; made when the first attempt ends uncommitted. */
  private RetryState retryState;
  private ScheduledFuture<?> retryTimer;
  private Deadline deadline;
  private ScheduledFuture<?> deadlineTimer;
  private CallHeader header;
  private MessageFramer framer;
  private Status closeStatus;

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
    this.callbacks = new CallbackSerializer(
        callOptions.getExecutor() != null ? callOptions.getExecutor() : cc.executor());
    this.initialConfig = cc.methodConfig(method.getFullMethodName());
    this.maxSend = min(callOptions.getMaxOutboundMessageSize(), initialConfig.maxRequestMessageBytes(),
        Integer.MAX_VALUE);
    this.maxRetryBuffer = callOptions.getOption(ClientCallOptions.MAX_RETRY_RPC_BUFFER_SIZE);
    this.replay = new ReplayBuffer(cc.retryBuffer());
  }

  private static int min(Integer a, Integer b, int dflt) {
    if (a == null && b == null) {
      return dflt;
    }
    if (a == null) {
      return b;
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
        Status s = closeStatus;
        callbacks.execute(() -> {
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
          && !cc.options().transportCredentials().isSecure()) {
        closeCall(Status.UNAUTHENTICATED.withDescription("Per-RPC credentials " + callCreds
            + " require transport security, but the channel to " + cc.target()
            + " is plaintext"), new Metadata());
        return;
      }
      creds.add(callCreds);
    }
    MessageFramer f = new MessageFramer(ByteBufAllocator.DEFAULT, maxSend);
    f.setCompressor(compressor);
    synchronized (lock) {
      deadline = d;
      framer = f;
      if (d != null && !closed) {
        long nanos = d.timeRemaining(TimeUnit.NANOSECONDS);
        deadlineTimer = cc.scheduler().schedule(this::deadlineExpired, nanos, TimeUnit.NANOSECONDS);
      }
    }
    context.addListener(contextListener, Runnable::run);
    String authority = callOptions.getAuthority() != null ? callOptions.getAuthority() : cc.authority();
    Metadata md = new Metadata();
    md.merge(headers);
    String acceptEncoding = cc.compressors().acceptEncoding();
    CallHeader base = new CallHeader(GrpcHeaders.path(method), authority, d, contentSubtype,
        compressor == null ? null : compressor.name(), acceptEncoding, cc.userAgent(), md);
    if (creds.isEmpty()) {
      firstAttempt(base);
      return;
    }
    PerRpcCredentials.RequestInfo info = new PerRpcCredentials.RequestInfo(authority,
        method.getFullMethodName(), cc.options().transportCredentials().securityProtocol(),
        cc.options().transportCredentials().securityLevel());
    PerRpcCredentialsFetch.fetch(creds, info).whenComplete((extra, err) -> {
      if (err != null) {
        closeCall(PerRpcCredentialsFetch.statusOf(err), new Metadata());
        return;
      }
      base.metadata().merge(extra);
      firstAttempt(base);
    });
  }

  private void firstAttempt(CallHeader h) {
    CsAttempt a;
    synchronized (lock) {
      if (closed) {
        return;
      }
      header = h;
      a = newAttemptLocked(0);
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

  /**
   * Applies the method config in use once the call has a transport (so the channel has resolved,
   * and a config from the resolver is known): a shorter timeout moves the deadline, measured from
   * the call's start. Returns the receive limit.
   */
  private int applyResolvedConfigLocked() {
    MethodConfig mc = cc.methodConfig(method.getFullMethodName());
    if (mc.timeout() != null && mc != initialConfig) {
      long left = mc.timeout().toNanos() - (System.nanoTime() - startNanos);
      Deadline d = Deadline.after(left, TimeUnit.NANOSECONDS);
      if (deadline == null || d.isBefore(deadline)) {
        deadline = d;
        header = new CallHeader(header.path(), header.authority(), d, header.contentSubtype(),
            header.sendCompress(), header.acceptEncoding(), header.userAgent(), header.metadata());
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

  private CsAttempt newAttemptLocked(int previous) {
    CsAttempt a = new CsAttempt(this,
        new PickInfo(method.getFullMethodName(), header.metadata(), callOptions), previous);
    attempt = a;
    return a;
  }

  @Override
  public void request(int numMessages) {
    if (numMessages <= 0) {
      throw new IllegalArgumentException("request(" + numMessages + "): the count must be positive");
    }
    synchronized (lock) {
      requested = (int) Math.min(Integer.MAX_VALUE, (long) requested + numMessages);
      ClientTransportStream s = attempt == null ? null : attempt.stream;
      if (s != null && !closed) {
        s.request(numMessages);
      }
    }
  }

  @Override
  public void sendMessage(ReqT message) {
    MessageFramer f;
    synchronized (lock) {
      if (!started) {
        throw new IllegalStateException("sendMessage before start");
      }
      f = framer;
      if (closed || f == null) {
        return; // the call already ended; its listener hears why
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
      // No attempt yet while per-RPC credentials are still being fetched: the message waits in
      // the replay buffer, which the first attempt's stream replays when it starts.
      ClientTransportStream s = attempt == null ? null : attempt.stream;
      if (committed) {
        s.writeMessage(framed, true);
        return;
      }
      boolean fits = replay.addMessage(framed, maxRetryBuffer);
      if (s != null) {
        s.writeMessage(framed.retainedDuplicate(), true);
      }
      if (!fits) {
        if (s != null) {
          commitLocked();
        } else {
          commitWhenStreamStarts = true;
        }
      }
    }
  }

  @Override
  public void halfClose() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (!committed) {
        replay.addHalfClose();
      }
      ClientTransportStream s = attempt == null ? null : attempt.stream;
      if (s != null) {
        s.halfClose();
      }
    }
  }

  @Override
  public void cancel(String message, Throwable cause) {
    Status s = Status.CANCELLED.withDescription(message == null ? "Call cancelled by the client" : message);
    cancelInternal(cause == null ? s : s.withCause(cause));
  }

  @Override
  public boolean isReady() {
    synchronized (lock) {
      ClientTransportStream s = attempt == null ? null : attempt.stream;
      return !closed && s != null && s.isReady();
    }
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    synchronized (lock) {
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
      ClientTransport t = attempt == null ? null : attempt.transport;
      return t == null ? Attributes.EMPTY : t.attributes();
    }
  }

  // ---- attempt events ----

  /** Null if the call's own authority (if any) is valid for the transport's TLS peer. */
  Status checkCallAuthority(ClientTransport transport) {
    return CallAuthorityCheck.check(callOptions.getAuthority(), transport.attributes());
  }

  void attemptPicked(CsAttempt a, ClientTransport transport) {
    synchronized (lock) {
      if (closed || attempt != a) {
        return;
      }
      int maxReceive = applyResolvedConfigLocked();
      a.streamStarted(); // before the stream exists, so that its end is always counted
      ClientTransportStream s = transport.newStream(
          RetryState.headerFor(header, a.previousAttempts), a, maxReceive,
          method.getType().clientSendsOneMessage());
      a.stream = s;
      a.transport = transport;
      replay.replayOn(s);
      if (requested > 0) {
        s.request(requested);
      }
      if (commitWhenStreamStarts) {
        commitLocked();
      }
    }
    AtomicReference<Peer> peer = callOptions.getOption(ClientCallOptions.PEER_CAPTURE);
    if (peer != null) {
      Attributes attrs = transport.attributes();
      peer.set(new Peer(attrs.get(Attributes.REMOTE_ADDRESS), attrs.get(Attributes.LOCAL_ADDRESS),
          cc.options().transportCredentials().securityProtocol(), attrs));
    }
    callbacks.execute(() -> {
      if (!listenerClosed) {
        listener.onReady();
      }
    });
  }

  void attemptHeaders(CsAttempt a, Metadata headers) {
    synchronized (lock) {
      if (closed || attempt != a) {
        return;
      }
      commitLocked();
    }
    callbacks.execute(() -> {
      if (listenerClosed) {
        return;
      }
      headersDelivered = true;
      AtomicReference<Metadata> capture = callOptions.getOption(ClientCallOptions.HEADER_CAPTURE);
      if (capture != null) {
        capture.set(headers);
      }
      try {
        listener.onHeaders(headers);
      } catch (Throwable t) {
        cancelInternal(Status.CANCELLED.withDescription("The call's listener threw in onHeaders")
            .withCause(t));
      }
    });
  }

  void attemptMessage(CsAttempt a, ByteBuf message, boolean compressed) {
    callbacks.execute(() -> {
      try {
        if (listenerClosed || attempt != a) {
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
          listener.onMessage(m);
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

  void attemptReady(CsAttempt a) {
    callbacks.execute(() -> {
      if (!listenerClosed && attempt == a) {
        listener.onReady();
      }
    });
  }

  /** An attempt ended; {@code progress} null means its pick failed. */
  void attemptClosed(CsAttempt a, Status status, Metadata trailers, RpcProgress progress) {
    CsAttempt retry = null;
    synchronized (lock) {
      if (closed || attempt != a) {
        return;
      }
      boolean mayRetry = !committed && !cc.options().disableRetry() && !a.notRetryable;
      long delay;
      if (mayRetry && progress != null && (progress == RpcProgress.NOT_SENT
          || (progress == RpcProgress.REFUSED && !serverRefusalRetried))) {
        // Transparent retry (gRFC A6): the server never processed this attempt. It is not one of
        // the policy's attempts, so the count sent in grpc-previous-rpc-attempts stays.
        if (progress == RpcProgress.REFUSED) {
          serverRefusalRetried = true;
        }
        retry = newAttemptLocked(a.previousAttempts);
        delay = 0;
      } else if (mayRetry
          && (delay = retryStateLocked().onAttemptFailed(status, trailers)) != RetryState.NO_RETRY) {
        retry = newAttemptLocked(retryState.attempts() - 1);
      } else {
        commitLocked();
        delay = 0;
      }
      if (retry != null && delay > 0) {
        CsAttempt next = retry;
        retryTimer = cc.scheduler().schedule(
            () -> cc.pickerWrapper().pick(next), delay, TimeUnit.NANOSECONDS);
        return;
      }
    }
    if (retry != null) {
      cc.pickerWrapper().pick(retry);
      return;
    }
    closeCall(status, trailers);
  }

  private RetryState retryStateLocked() {
    if (retryState == null) {
      // The method config in use now: the channel has resolved by the time an attempt ends.
      retryState = new RetryState(cc.methodConfig(method.getFullMethodName()).retryPolicy(),
          cc.options().maxCallAttempts(), cc.retryThrottler(), ThreadLocalRandom.current()::nextDouble);
    }
    return retryState;
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
      if (retryTimer != null && !retryTimer.isDone()) {
        return "; waiting to make attempt " + (attempt.previousAttempts + 1) + " of the retry policy";
      }
      if (attempt != null && attempt.stream == null) {
        return "; still waiting for a connection (last error: " + cc.lastConnectionError() + ")";
      }
      ClientTransport t = attempt == null ? null : attempt.transport;
      return t == null ? "" : "; remote_addr=" + t.attributes().get(Attributes.REMOTE_ADDRESS);
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
      CsAttempt a = attempt;
      if (a != null) {
        if (a.stream != null) {
          a.stream.cancel(status);
        } else if (a.abandonPick()) {
          cc.pickerWrapper().remove(a);
        }
      }
    }
    closeCall(status, new Metadata());
  }

  private void commitLocked() {
    if (committed) {
      return;
    }
    committed = true;
    commitWhenStreamStarts = false;
    replay.release();
  }

  private void closeCall(Status status, Metadata trailers) {
    boolean exit;
    Deadline d;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      closeStatus = status;
      committed = true;
      replay.release();
      if (deadlineTimer != null) {
        deadlineTimer.cancel(false);
      }
      if (retryTimer != null) {
        retryTimer.cancel(false);
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
    RetryThrottler throttler = cc.retryThrottler();
    if (throttler != null && finalStatus.isOk()) {
      throttler.onSuccess();
    }
    Status s = finalStatus;
    callbacks.execute(() -> {
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

  @Override
  public String toString() {
    return "ClientCall{" + method.getFullMethodName() + "}";
  }
}
