package dev.grpcspring.server;

import dev.grpcspring.Attributes;
import dev.grpcspring.Context;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.channelz.CallCounters;
import dev.grpcspring.codec.Compressor;
import dev.grpcspring.codec.CompressorRegistry;
import dev.grpcspring.internal.InlineCompletion;
import dev.grpcspring.protocol.MessageFramer;
import dev.grpcspring.transport.ServerStreamListener;
import dev.grpcspring.transport.ServerTransportStream;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * One call on the server (grpc-java's {@code ServerCallImpl}; in grpc-go, the stream handed to
 * {@code processRPC}): the {@link ServerCall} the handler uses, and the stream listener that
 * carries the client's side to the handler's {@link ServerCall.Listener}. Listener callbacks run
 * one at a time on the call's serializing executor, inside the call's {@link Context}.
 */
final class ServerCallImpl<ReqT, RespT> extends ServerCall<ReqT, RespT>
    implements ServerStreamListener, Runnable {
  private static final Logger log = Logger.getLogger(ServerCallImpl.class.getName());

  // The call's events wait in one queue for the executor, in arrival order: a ByteBuf is a request
  // message, a CompressedMessage one that arrived compressed, and these markers the other events
  // (their arguments are fields). This replaced a SerializingExecutor and a lambda per event
  // (and a lambda per listener call inside it): JFR showed that hand-off as ~10% of a unary call's
  // bytes, and a lambda, a queue node and a pool-queue node per streamed message.
  /**
   * The headers of a call whose handler sent none before its first message: shared, as the
   * transports only read them (both copy what they pass on).
   */
  private static final Metadata NO_METADATA = new Metadata();
  private static final Object START = new Object();
  private static final Object HALF_CLOSE = new Object();
  private static final Object READY = new Object();
  private static final Object CLOSED = new Object();

  /** A request message that arrived compressed (rare; only these need a wrapper). */
  private record CompressedMessage(ByteBuf message) {}

  private final ServerTransportStream stream;
  private final MethodDescriptor<ReqT, RespT> method;
  private final Context.CancellableContext context;
  /**
   * Hands this call's drain ({@link #run}) to the server's executor; the call makes its listener
   * callbacks run one at a time.
   */
  private final ReadBatch batch;
  /**
   * Pending events; also the lock for itself and {@link #draining}. Room for three without growing
   * (start, message and half-close of a unary call may wait at once).
   */
  private final ArrayDeque<Object> events = new ArrayDeque<>(3);
  /** Whether a drain ({@link #run}) is scheduled or running. Guarded by {@link #events}. */
  private boolean draining;
  // START's arguments, until it runs.
  private @Nullable ServerCallHandler<ReqT, RespT> startHandler;
  private @Nullable Metadata startHeaders;
  /** CLOSED's argument: how the stream ended. */
  private volatile @Nullable Status streamStatus;
  private final CompressorRegistry compressors;
  /**
   * Made when the handler sets compression; until then messages are framed plain without one (an
   * object per call that most calls would not use).
   */
  private @Nullable MessageFramer framer;
  private final CallCounters calls;
  /** The status the application closed with; the stream reports only whether trailers went out. */
  private volatile @Nullable Status closeStatus;

  // Written only by the drain (run); read by the transport under events' lock when no drain runs.
  private ServerCall.@Nullable Listener<ReqT> listener;

  private volatile boolean cancelled;
  // The application's side; ServerCall methods are not called concurrently.
  private boolean headersSent;
  /** Whether the message being delivered to onMessage right now arrived compressed. */
  private boolean inboundMessageCompressed;
  private boolean closeCalled;
  private boolean messageSent;
  private @Nullable String responseEncoding;

  /**
   * @param batch the connection's hand-off to the server's executor
   */
  ServerCallImpl(ServerTransportStream stream, MethodDescriptor<ReqT, RespT> method,
      Context.CancellableContext context, ReadBatch batch, CompressorRegistry compressors,
      CallCounters calls) {
    this.calls = calls;
    this.stream = stream;
    this.method = method;
    this.context = context;
    this.batch = batch;
    this.compressors = compressors;
  }

  /** Runs the handler's {@code startCall} on the call executor. */
  void start(ServerCallHandler<ReqT, RespT> handler, Metadata headers) {
    startHandler = handler;
    startHeaders = headers;
    enqueue(START);
  }

  // ---- ServerCall (application side) ----

  @Override
  public void request(int numMessages) {
    if (numMessages <= 0) {
      throw new IllegalArgumentException("request(" + numMessages + "): must be positive");
    }
    if (closeCalled) {
      return; // the call is over: no message may reach the handler after its close
    }
    stream.request(numMessages);
  }

  @Override
  public void sendHeaders(Metadata headers) {
    if (closeCalled) {
      throw new IllegalStateException("sendHeaders after the call was closed");
    }
    if (headersSent) {
      throw new IllegalStateException("sendHeaders has already been called");
    }
    headersSent = true;
    // A call with one response flushes once, with its trailers (one write, as grpc-java).
    stream.writeHeaders(headers, responseEncoding, !method.getType().serverSendsOneMessage());
  }

  @Override
  public void sendMessage(RespT message) {
    if (closeCalled) {
      throw new IllegalStateException("sendMessage after the call was closed");
    }
    if (cancelled) {
      return; // nothing reaches a cancelled stream; the handler learns of it through onCancel
    }
    if (messageSent && method.getType().serverSendsOneMessage()) {
      // Ends the call; the handler's own close later is then a no-op (the call is cancelled).
      closeWithError(Status.INTERNAL.withDescription(
          "Too many responses: " + method.getFullMethodName() + " sends exactly one"), null);
      return;
    }
    messageSent = true;
    if (!headersSent) {
      headersSent = true;
      stream.writeHeaders(NO_METADATA, responseEncoding, false);
    }
    ByteBuf frame;
    try {
      MessageFramer f = framer;
      frame = f != null ? f.frame(message, method.getResponseMarshaller())
          : MessageFramer.framePlain(stream.alloc(), message, method.getResponseMarshaller(),
              Integer.MAX_VALUE, stream.frameHeadroom());
    } catch (StatusException e) {
      log.log(Level.WARNING, "Could not send a response of " + method.getFullMethodName(), e);
      closeWithError(e.getStatus(), null);
      return;
    }
    if (cancelled) {
      // Cancelled while serializing (a large message takes a while): the stream would only drop
      // it. A cancellation from now on is the stream's to handle; it releases what it drops.
      frame.release();
      return;
    }
    stream.writeMessage(frame, !method.getType().serverSendsOneMessage());
  }

  @Override
  public void close(Status status, Metadata trailers) {
    if (closeCalled) {
      throw new IllegalStateException("The call was already closed");
    }
    closeCalled = true;
    if (cancelled) {
      return;
    }
    if (status.isOk() && method.getType().serverSendsOneMessage() && !messageSent) {
      status = Status.INTERNAL.withDescription(
          "Completed without a response: " + method.getFullMethodName() + " sends exactly one");
    }
    closeStatus = status;
    stream.close(status, trailers);
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public boolean isReady() {
    return !cancelled && stream.isReady();
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    framer().setMessageCompression(enabled);
  }

  @Override
  public void setCompression(String compressorName) {
    if (headersSent) {
      throw new IllegalStateException("setCompression must be called before headers are sent");
    }
    Compressor c = compressors.lookup(compressorName);
    if (c == null) {
      throw new IllegalArgumentException("No compressor named '" + compressorName
          + "'; registered: " + compressors.compressors().stream().map(Compressor::name).toList());
    }
    if (CompressorRegistry.isAccepted(stream.acceptEncoding(), compressorName)) {
      framer().setCompressor(c);
      responseEncoding = compressorName;
    } else {
      log.log(Level.FINE, "Client does not accept {0}; responding uncompressed", compressorName);
    }
  }

  private MessageFramer framer() {
    MessageFramer f = framer;
    if (f == null) {
      f = new MessageFramer(stream.alloc(), Integer.MAX_VALUE, stream.frameHeadroom());
      framer = f;
    }
    return f;
  }


  @Override
  public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
    return method;
  }

  @Override
  public @Nullable String getAuthority() {
    return stream.authority();
  }

  @Override
  public Attributes getAttributes() {
    return stream.attributes();
  }

  // ---- ServerStreamListener (event loop) ----

  @Override
  public void onMessage(ByteBuf message) {
    onMessage(message, false);
  }

  @Override
  public void onMessage(ByteBuf message, boolean compressed) {
    enqueue(compressed ? new CompressedMessage(message) : message);
  }

  @Override
  public boolean isInboundMessageCompressed() {
    return inboundMessageCompressed;
  }

  @Override
  public void onHalfClose() {
    enqueue(HALF_CLOSE);
  }

  @Override
  public void onReady() {
    enqueue(READY);
  }

  @Override
  public void onClose(Status status) {
    Status app = closeStatus;
    calls.callEnded(status.isOk() && (app == null || app.isOk()));
    if (!status.isOk()) {
      cancelled = true;
      context.cancel(status.asException());
    }
    streamStatus = status;
    if (!status.isOk() || !completedInline()) {
      enqueue(CLOSED);
    }
  }

  /**
   * Completes the call on this (the transport's) thread when nothing of it waits or runs on the
   * executor and its listener's {@code onComplete} may run here ({@link InlineCompletion}), which
   * saves a unary call its second executor task. False, doing nothing, otherwise.
   */
  private boolean completedInline() {
    synchronized (events) {
      // The drain publishes listener under this lock; a running drain takes CLOSED itself.
      if (draining || !(listener instanceof InlineCompletion c) || !c.completesInline()) {
        return false;
      }
      events.add(CLOSED);
      draining = true;
    }
    run();
    return true;
  }

  // ---- the call executor ----

  /** Queues an event and makes sure a drain is scheduled ({@link ReadBatch#schedule}). */
  private void enqueue(Object event) {
    synchronized (events) {
      events.add(event);
      if (draining) {
        return;
      }
      draining = true;
    }
    batch.schedule(this);
  }

  /**
   * The executor refused this call's drain (full, or shut down): the events waiting are dropped,
   * their messages released, and the call ends with UNAVAILABLE, which a client may retry. The
   * handler hears nothing more of this call; its context is cancelled.
   */
  void drainRejected(RejectedExecutionException e) {
    synchronized (events) {
      draining = false;
      Object dropped;
      while ((dropped = events.poll()) != null) {
        releaseIfMessage(dropped);
      }
    }
    log.log(Level.WARNING, "The server's executor refused the work of a call to "
        + method.getFullMethodName() + "; it ends with UNAVAILABLE", e);
    Status status = Status.UNAVAILABLE.withDescription(
        "The server could not schedule the call; try again");
    closeWithError(status, null);
    context.cancel(status.asException());
  }

  /**
   * The drain: runs the queued events one at a time, in order, until none is left; an event that
   * throws is logged and does not stop the ones after it. Only {@link #enqueue} schedules it.
   */
  @Override
  public void run() {
    while (true) {
      Object event;
      synchronized (events) {
        event = events.poll();
        if (event == null) {
          draining = false;
          return;
        }
      }
      try {
        dispatch(event);
      } catch (RuntimeException | Error e) {
        log.log(Level.SEVERE, "Exception while running a serialized callback", e);
      }
    }
  }

  private void dispatch(Object event) {
    if (event instanceof ByteBuf message) {
      deliver(message, false);
    } else if (event instanceof CompressedMessage c) {
      deliver(c.message(), true);
    } else if (event == START) {
      callListener(START);
    } else if (event == HALF_CLOSE || event == READY) {
      if (listener != null && !cancelled) {
        callListener(event);
      }
    } else if (event == CLOSED) {
      Status status = Objects.requireNonNull(streamStatus);
      if (status.isOk()) {
        try {
          if (listener != null) {
            callListener(CLOSED);
          }
        } finally {
          // Work the handler started under this call stops with it.
          context.cancel(null);
        }
      } else if (listener != null) {
        callListener(CLOSED);
      }
    }
  }

  private void deliver(ByteBuf message, boolean compressed) {
    ReqT request;
    ServerCall.Listener<ReqT> l = listener;
    try {
      if (l == null || cancelled) {
        return;
      }
      request = method.getRequestMarshaller().parse(message);
    } catch (StatusException e) {
      closeWithError(e.getStatus(), null);
      return;
    } catch (RuntimeException e) {
      closeWithError(Status.INTERNAL.withDescription(
          "Could not parse the request for " + method.getFullMethodName() + ": " + e)
          .withCause(e), null);
      return;
    } finally {
      message.release();
    }
    inboundMessageCompressed = compressed;
    Context previous = context.attach();
    try {
      l.onMessage(request);
    } catch (RuntimeException | Error t) {
      applicationFailed(t);
    } finally {
      context.detach(previous);
      inboundMessageCompressed = false;
    }
  }

  /**
   * Calls the listener (or, for START, the handler) for event {@code what} inside the call's
   * context; what the application throws ends the call ({@link #applicationFailed}).
   */
  private void callListener(Object what) {
    Context previous = context.attach();
    try {
      if (what == START) {
        ServerCallHandler<ReqT, RespT> handler = Objects.requireNonNull(startHandler);
        Metadata headers = Objects.requireNonNull(startHeaders);
        startHandler = null;
        startHeaders = null;
        ServerCall.Listener<ReqT> l = handler.startCall(this, headers);
        if (l == null) {
          throw new NullPointerException("startCall for " + method.getFullMethodName()
              + " returned a null listener; return one, even if it does nothing");
        }
        listener = l;
        if (!cancelled && stream.isReady()) {
          l.onReady();
        }
        return;
      }
      ServerCall.Listener<ReqT> l = Objects.requireNonNull(listener);
      if (what == HALF_CLOSE) {
        l.onHalfClose();
      } else if (what == READY) {
        l.onReady();
      } else if (Objects.requireNonNull(streamStatus).isOk()) {
        l.onComplete();
      } else {
        l.onCancel();
      }
    } catch (RuntimeException | Error t) {
      applicationFailed(t);
    } finally {
      context.detach(previous);
    }
  }

  /** The application threw: the call ends ({@link #handleApplicationError}); an Error goes on up. */
  private void applicationFailed(Throwable t) {
    handleApplicationError(t);
    if (t instanceof Error e) {
      throw e;
    }
  }

  private static void releaseIfMessage(Object event) {
    if (event instanceof ByteBuf message) {
      message.release();
    } else if (event instanceof CompressedMessage c) {
      c.message().release();
    }
  }

  // ---- internals ----

  private void closeWithError(Status status, @Nullable Metadata trailers) {
    cancelled = true;
    stream.closeWithError(status, trailers);
  }

  private void handleApplicationError(Throwable t) {
    Status status = Status.fromThrowable(t);
    if (status.getDescription() == null && status.getCode() == dev.grpcspring.Code.UNKNOWN) {
      // The description goes to the client: say what happened, never how (no stack trace).
      status = status.withDescription("Application error processing RPC");
    }
    if (!(t instanceof StatusException)) {
      log.log(Level.WARNING, "Exception in the handler of " + method.getFullMethodName()
          + "; the call ends with " + status.getCode(), t);
    }
    Metadata trailers = Status.trailersFromThrowable(t);
    if (!cancelled) {
      closeWithError(status, trailers);
    }
  }
}
