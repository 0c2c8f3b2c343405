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
import dev.grpcspring.protocol.MessageFramer;
import dev.grpcspring.transport.ServerStreamListener;
import dev.grpcspring.transport.ServerTransportStream;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.Executor;
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
    implements ServerStreamListener {
  private static final Logger log = Logger.getLogger(ServerCallImpl.class.getName());

  private final ServerTransportStream stream;
  private final MethodDescriptor<ReqT, RespT> method;
  private final Context.CancellableContext context;
  private final Executor callExecutor;
  private final CompressorRegistry compressors;
  private final MessageFramer framer;
  private final CallCounters calls;
  /** The status the application closed with; the stream reports only whether trailers went out. */
  private volatile @Nullable Status closeStatus;

  // Touched only by callExecutor tasks.
  private ServerCall.@Nullable Listener<ReqT> listener;

  private volatile boolean cancelled;
  // The application's side; ServerCall methods are not called concurrently.
  private boolean headersSent;
  /** Whether the message being delivered to onMessage right now arrived compressed. */
  private boolean inboundMessageCompressed;
  private boolean closeCalled;
  private boolean messageSent;
  private @Nullable String responseEncoding;

  ServerCallImpl(ServerTransportStream stream, MethodDescriptor<ReqT, RespT> method,
      Context.CancellableContext context, Executor callExecutor, CompressorRegistry compressors,
      CallCounters calls) {
    this.calls = calls;
    this.stream = stream;
    this.method = method;
    this.context = context;
    this.callExecutor = callExecutor;
    this.compressors = compressors;
    this.framer = new MessageFramer(stream.alloc(), Integer.MAX_VALUE);
  }

  /** Runs the handler's {@code startCall} on the call executor. */
  void start(ServerCallHandler<ReqT, RespT> handler, Metadata headers) {
    callExecutor.execute(() -> runInContext(() -> {
      ServerCall.Listener<ReqT> l = handler.startCall(this, headers);
      if (l == null) {
        throw new NullPointerException("startCall for " + method.getFullMethodName()
            + " returned a null listener; return one, even if it does nothing");
      }
      listener = l;
      if (!cancelled && stream.isReady()) {
        l.onReady();
      }
    }));
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
      stream.writeHeaders(new Metadata(), responseEncoding, false);
    }
    ByteBuf frame;
    try {
      frame = framer.frame(message, method.getResponseMarshaller());
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
    framer.setMessageCompression(enabled);
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
      framer.setCompressor(c);
      responseEncoding = compressorName;
    } else {
      log.log(Level.FINE, "Client does not accept {0}; responding uncompressed", compressorName);
    }
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
    callExecutor.execute(() -> {
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
      try {
        runInContext(() -> l.onMessage(request));
      } finally {
        inboundMessageCompressed = false;
      }
    });
  }

  @Override
  public boolean isInboundMessageCompressed() {
    return inboundMessageCompressed;
  }

  @Override
  public void onHalfClose() {
    callExecutor.execute(() -> {
      if (listener != null && !cancelled) {
        runInContext(listener::onHalfClose);
      }
    });
  }

  @Override
  public void onReady() {
    callExecutor.execute(() -> {
      if (listener != null && !cancelled) {
        runInContext(listener::onReady);
      }
    });
  }

  @Override
  public void onClose(Status status) {
    Status app = closeStatus;
    calls.callEnded(status.isOk() && (app == null || app.isOk()));
    if (status.isOk()) {
      callExecutor.execute(() -> {
        try {
          if (listener != null) {
            runInContext(listener::onComplete);
          }
        } finally {
          // Work the handler started under this call stops with it.
          context.cancel(null);
        }
      });
      return;
    }
    cancelled = true;
    context.cancel(status.asException());
    callExecutor.execute(() -> {
      if (listener != null) {
        runInContext(listener::onCancel);
      }
    });
  }

  // ---- internals ----

  private void closeWithError(Status status, @Nullable Metadata trailers) {
    cancelled = true;
    stream.closeWithError(status, trailers);
  }

  private void runInContext(Runnable task) {
    Context previous = context.attach();
    try {
      task.run();
    } catch (RuntimeException | Error t) {
      handleApplicationError(t);
      if (t instanceof Error e) {
        throw e;
      }
    } finally {
      context.detach(previous);
    }
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
