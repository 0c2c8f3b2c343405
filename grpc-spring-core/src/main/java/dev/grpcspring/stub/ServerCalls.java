package dev.grpcspring.stub;

import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.internal.InlineCompletion;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Adapts service methods written against {@link StreamObserver} to {@link ServerCallHandler}s. This
 * is what generated {@code ImplBase.bindService()} uses.
 */
public final class ServerCalls {
  private ServerCalls() {}

  /** A unary method: one request, responses through the observer. */
  @FunctionalInterface
  public interface UnaryMethod<ReqT, RespT> {
    void invoke(ReqT request, StreamObserver<RespT> responseObserver);
  }

  /** A server-streaming method: one request, any number of responses. */
  @FunctionalInterface
  public interface ServerStreamingMethod<ReqT, RespT> {
    void invoke(ReqT request, StreamObserver<RespT> responseObserver);
  }

  /** A client-streaming method: returns the observer that receives the requests. */
  @FunctionalInterface
  public interface ClientStreamingMethod<ReqT, RespT> {
    StreamObserver<ReqT> invoke(StreamObserver<RespT> responseObserver);
  }

  /** A bidi-streaming method: returns the observer that receives the requests. */
  @FunctionalInterface
  public interface BidiStreamingMethod<ReqT, RespT> {
    StreamObserver<ReqT> invoke(StreamObserver<RespT> responseObserver);
  }

  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> asyncUnaryCall(
      UnaryMethod<ReqT, RespT> method) {
    Objects.requireNonNull(method, "method");
    return new SingleRequestHandler<>(method::invoke);
  }

  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> asyncServerStreamingCall(
      ServerStreamingMethod<ReqT, RespT> method) {
    Objects.requireNonNull(method, "method");
    return new SingleRequestHandler<>(method::invoke);
  }

  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> asyncClientStreamingCall(
      ClientStreamingMethod<ReqT, RespT> method) {
    Objects.requireNonNull(method, "method");
    return new StreamingRequestHandler<>(method::invoke);
  }

  public static <ReqT, RespT> ServerCallHandler<ReqT, RespT> asyncBidiStreamingCall(
      BidiStreamingMethod<ReqT, RespT> method) {
    Objects.requireNonNull(method, "method");
    return new StreamingRequestHandler<>(method::invoke);
  }

  /** Ends a unary or server-streaming call with UNIMPLEMENTED; what generated ImplBases do. */
  public static void asyncUnimplementedUnaryCall(
      MethodDescriptor<?, ?> method, StreamObserver<?> responseObserver) {
    Objects.requireNonNull(responseObserver, "responseObserver");
    responseObserver.onError(unimplemented(method));
  }

  /**
   * Ends a client- or bidi-streaming call with UNIMPLEMENTED; returns an observer that ignores the
   * requests that may still arrive.
   */
  public static <T> StreamObserver<T> asyncUnimplementedStreamingCall(
      MethodDescriptor<?, ?> method, StreamObserver<?> responseObserver) {
    asyncUnimplementedUnaryCall(method, responseObserver);
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        // The call is already closed; requests that were in flight are discarded by design.
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  private static StatusException unimplemented(MethodDescriptor<?, ?> method) {
    return Status.UNIMPLEMENTED
        .withDescription("Method " + method.getFullMethodName() + " is not implemented")
        .asException();
  }

  private interface SingleInvoker<ReqT, RespT> {
    void invoke(ReqT request, StreamObserver<RespT> responseObserver);
  }

  private interface StreamingInvoker<ReqT, RespT> {
    StreamObserver<ReqT> invoke(StreamObserver<RespT> responseObserver);
  }

  /** Unary and server-streaming: wait for exactly one request and the half-close, then invoke. */
  private static final class SingleRequestHandler<ReqT, RespT>
      implements ServerCallHandler<ReqT, RespT> {
    private final SingleInvoker<ReqT, RespT> invoker;

    SingleRequestHandler(SingleInvoker<ReqT, RespT> invoker) {
      this.invoker = invoker;
    }

    @Override
    public ServerCall.Listener<ReqT> startCall(ServerCall<ReqT, RespT> call, Metadata headers) {
      ResponseObserver<ReqT, RespT> observer = new ResponseObserver<>(call);
      // Ask for two so that a second request is seen and refused rather than left unread.
      call.request(2);
      return new ObserverListener<>(observer) {
        private @Nullable ReqT request;
        private boolean failed;
        private boolean wasReady;

        @Override
        public void onMessage(ReqT message) {
          if (request != null) {
            failed = true;
            call.close(
                Status.INTERNAL.withDescription(
                    "Too many requests for " + call.getMethodDescriptor().getFullMethodName()
                        + ": it takes exactly one"),
                new Metadata());
            return;
          }
          request = message;
        }

        @Override
        public void onHalfClose() {
          if (failed) {
            return;
          }
          if (request == null) {
            call.close(
                Status.INTERNAL.withDescription(
                    "Half-closed without a request for "
                        + call.getMethodDescriptor().getFullMethodName()),
                new Metadata());
            return;
          }
          ReqT req = request;
          request = null;
          invoker.invoke(req, observer);
          observer.frozen = true;
          // An onReady that came before the method could install its handler is replayed once.
          if (wasReady) {
            observer.onReady();
          }
        }

        @Override
        public void onCancel() {
          observer.onCancel();
        }

        @Override
        public void onReady() {
          wasReady = true;
          observer.onReady();
        }
      };
    }
  }

  /** Client- and bidi-streaming: invoke at once, feed requests to the returned observer. */
  private static final class StreamingRequestHandler<ReqT, RespT>
      implements ServerCallHandler<ReqT, RespT> {
    private final StreamingInvoker<ReqT, RespT> invoker;

    StreamingRequestHandler(StreamingInvoker<ReqT, RespT> invoker) {
      this.invoker = invoker;
    }

    @Override
    public ServerCall.Listener<ReqT> startCall(ServerCall<ReqT, RespT> call, Metadata headers) {
      ResponseObserver<ReqT, RespT> observer = new ResponseObserver<>(call);
      StreamObserver<ReqT> requests = invoker.invoke(observer);
      if (requests == null) {
        throw new NullPointerException(
            call.getMethodDescriptor().getFullMethodName()
                + " returned a null request observer; return one that handles the requests");
      }
      observer.frozen = true;
      if (observer.autoRequest) {
        call.request(1);
      }
      return new ObserverListener<>(observer) {
        private boolean halfClosed;

        @Override
        public void onMessage(ReqT message) {
          requests.onNext(message);
          if (observer.autoRequest) {
            call.request(1);
          }
        }

        @Override
        public void onHalfClose() {
          halfClosed = true;
          requests.onCompleted();
        }

        @Override
        public void onCancel() {
          observer.onCancel();
          if (!halfClosed) {
            requests.onError(
                Status.CANCELLED
                    .withDescription("The client cancelled the call before half-closing")
                    .asException());
          }
        }

        @Override
        public void onReady() {
          observer.onReady();
        }
      };
    }
  }

  /**
   * The listener of a call served through a {@link ResponseObserver}: completes it by running the
   * observer's on-close handler, if the service installed one.
   */
  private abstract static class ObserverListener<ReqT> extends ServerCall.Listener<ReqT>
      implements InlineCompletion {
    private final ResponseObserver<ReqT, ?> observer;

    ObserverListener(ResponseObserver<ReqT, ?> observer) {
      this.observer = observer;
    }

    @Override
    public void onComplete() {
      observer.onClose();
    }

    @Override
    public boolean completesInline() {
      return observer.hasNoCloseHandler();
    }
  }

  /** The observer handed to service code; turns its calls into ServerCall operations. */
  private static final class ResponseObserver<ReqT, RespT> extends ServerCallStreamObserver<RespT> {
    private final ServerCall<ReqT, RespT> call;
    // Set once the method has returned: handlers may only be installed while it runs.
    volatile boolean frozen;
    boolean autoRequest = true;
    private volatile boolean cancelled;
    private boolean sentHeaders;
    private boolean completed;
    private @Nullable Runnable onReadyHandler;
    private @Nullable Runnable onCancelHandler;
    private @Nullable Runnable onCloseHandler;

    ResponseObserver(ServerCall<ReqT, RespT> call) {
      this.call = call;
    }

    @Override
    public void onNext(RespT value) {
      if (cancelled) {
        if (onCancelHandler == null) {
          throw Status.CANCELLED
              .withDescription("The call was cancelled; stop sending responses")
              .asException();
        }
        return;
      }
      if (completed) {
        throw new IllegalStateException("onNext after the stream was completed or failed");
      }
      if (!sentHeaders) {
        call.sendHeaders(new Metadata());
        sentHeaders = true;
      }
      call.sendMessage(value);
    }

    @Override
    public void onError(Throwable t) {
      if (completed) {
        throw new IllegalStateException("onError after the stream was completed or failed", t);
      }
      completed = true;
      if (cancelled) {
        return; // The call is over; nothing can reach the client.
      }
      Metadata trailers = Status.trailersFromThrowable(t);
      call.close(Status.fromThrowable(t), trailers == null ? new Metadata() : trailers);
    }

    @Override
    public void onCompleted() {
      if (completed) {
        throw new IllegalStateException("onCompleted after the stream was completed or failed");
      }
      completed = true;
      if (cancelled) {
        if (onCancelHandler == null) {
          throw Status.CANCELLED
              .withDescription("The call was cancelled before it completed")
              .asException();
        }
        return;
      }
      call.close(Status.OK, new Metadata());
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public void setOnReadyHandler(Runnable handler) {
      checkNotFrozen("setOnReadyHandler");
      onReadyHandler = handler;
    }

    @Override
    public void disableAutoInboundFlowControl() {
      checkNotFrozen("disableAutoInboundFlowControl");
      autoRequest = false;
    }

    @Override
    public void request(int count) {
      call.request(count);
    }

    @Override
    public void setMessageCompression(boolean enable) {
      call.setMessageCompression(enable);
    }

    @Override
    public boolean isCancelled() {
      return cancelled || call.isCancelled();
    }

    @Override
    public void setOnCancelHandler(Runnable handler) {
      checkNotFrozen("setOnCancelHandler");
      onCancelHandler = handler;
    }

    @Override
    public void setOnCloseHandler(Runnable handler) {
      checkNotFrozen("setOnCloseHandler");
      onCloseHandler = handler;
    }

    @Override
    public void setCompression(String compression) {
      call.setCompression(compression);
    }

    void onReady() {
      Runnable h = onReadyHandler;
      if (h != null) {
        h.run();
      }
    }

    void onCancel() {
      cancelled = true;
      Runnable h = onCancelHandler;
      if (h != null) {
        h.run();
      }
    }

    /**
     * Whether the method has returned (no handler can be installed any more) without installing
     * an on-close handler.
     */
    boolean hasNoCloseHandler() {
      return frozen && onCloseHandler == null;
    }

    void onClose() {
      Runnable h = onCloseHandler;
      if (h != null) {
        h.run();
      }
    }

    private void checkNotFrozen(String what) {
      if (frozen) {
        throw new IllegalStateException(
            what + " must be called inside the service method, before it returns");
      }
    }
  }
}
