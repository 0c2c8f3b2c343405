package dev.grpcspring.stub;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.StatusRuntimeException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Runs calls in the shapes generated stubs offer: blocking, future and async ({@link
 * StreamObserver}). Blocking calls run their callbacks on the calling thread.
 */
public final class ClientCalls {
  private ClientCalls() {}

  // ---- async ----

  /** Sends one request; the response (or error) goes to {@code responseObserver}. */
  public static <ReqT, RespT> void asyncUnaryCall(
      ClientCall<ReqT, RespT> call, ReqT request, StreamObserver<RespT> responseObserver) {
    startSingleRequest(call, request, new ObserverListener<>(call, responseObserver, true), 2);
  }

  /** Sends one request; every response goes to {@code responseObserver}. */
  public static <ReqT, RespT> void asyncServerStreamingCall(
      ClientCall<ReqT, RespT> call, ReqT request, StreamObserver<RespT> responseObserver) {
    startSingleRequest(call, request, new ObserverListener<>(call, responseObserver, false), 1);
  }

  /** Returns the observer to send requests on; the one response goes to {@code responseObserver}. */
  public static <ReqT, RespT> StreamObserver<ReqT> asyncClientStreamingCall(
      ClientCall<ReqT, RespT> call, StreamObserver<RespT> responseObserver) {
    return startStreaming(call, new ObserverListener<>(call, responseObserver, true), 2);
  }

  /** Returns the observer to send requests on; responses go to {@code responseObserver}. */
  public static <ReqT, RespT> StreamObserver<ReqT> asyncBidiStreamingCall(
      ClientCall<ReqT, RespT> call, StreamObserver<RespT> responseObserver) {
    return startStreaming(call, new ObserverListener<>(call, responseObserver, false), 1);
  }

  // ---- future ----

  /**
   * Sends one request and returns the response as a future. Cancelling the future cancels the call;
   * a failed call completes it exceptionally with a {@link StatusRuntimeException}.
   */
  public static <ReqT, RespT> CompletableFuture<RespT> futureUnaryCall(
      ClientCall<ReqT, RespT> call, ReqT request) {
    CallFuture<RespT> future = new CallFuture<>(call);
    startSingleRequest(call, request, new FutureListener<>(call, future), 2);
    return future;
  }

  // ---- blocking ----

  /**
   * Makes a unary call and waits for its response on this thread.
   *
   * @throws StatusRuntimeException when the call fails; CANCELLED if this thread is interrupted
   */
  public static <ReqT, RespT> RespT blockingUnaryCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, ReqT request) {
    ThreadlessExecutor executor = new ThreadlessExecutor();
    ClientCall<ReqT, RespT> call = channel.newCall(method, callOptions.withExecutor(executor));
    boolean interrupted = false;
    try {
      CompletableFuture<RespT> future = futureUnaryCall(call, request);
      while (!future.isDone()) {
        try {
          executor.waitAndDrain();
        } catch (InterruptedException e) {
          interrupted = true;
          call.cancel("The calling thread was interrupted", e);
          // Keep draining: the cancellation's onClose arrives through the executor.
        }
      }
      executor.shutdown();
      return getUnchecked(future);
    } catch (RuntimeException | Error e) {
      call.cancel("The blocking call failed locally", e);
      throw e;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Makes a server-streaming call; the iterator blocks this thread for each response. Iterate to the
   * end (or until it throws) so the call finishes; to abandon it early, cancel the enclosing
   * {@link dev.grpcspring.Context}.
   */
  public static <ReqT, RespT> Iterator<RespT> blockingServerStreamingCall(
      Channel channel, MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, ReqT request) {
    ThreadlessExecutor executor = new ThreadlessExecutor();
    ClientCall<ReqT, RespT> call = channel.newCall(method, callOptions.withExecutor(executor));
    BlockingResponseStream<RespT> stream = new BlockingResponseStream<>(call, executor);
    startSingleRequest(call, request, stream.listener(), 1);
    return stream;
  }

  private static <RespT> RespT getUnchecked(CompletableFuture<RespT> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("Interrupted").withCause(e).asRuntimeException();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof StatusException se) {
        // A fresh exception so that the stack trace shows the caller, with the original as cause.
        StatusRuntimeException thrown = new StatusRuntimeException(se.getStatus(), se.getTrailers());
        thrown.addSuppressed(se);
        throw thrown;
      }
      throw Status.fromThrowable(cause).asRuntimeException();
    }
  }

  private static <ReqT, RespT> void startSingleRequest(
      ClientCall<ReqT, RespT> call, ReqT request, ClientCall.Listener<RespT> listener, int initial) {
    call.start(listener, new Metadata());
    call.request(initial);
    try {
      call.sendMessage(request);
      call.halfClose();
    } catch (RuntimeException | Error e) {
      call.cancel("Failed to send the request", e);
      throw e;
    }
  }

  private static <ReqT, RespT> StreamObserver<ReqT> startStreaming(
      ClientCall<ReqT, RespT> call, ObserverListener<ReqT, RespT> listener, int initial) {
    RequestObserver<ReqT> requests = new RequestObserver<>(call);
    listener.requests = requests;
    if (listener.observer instanceof ClientResponseObserver<?, ?>) {
      @SuppressWarnings("unchecked")
      ClientResponseObserver<ReqT, RespT> cro =
          (ClientResponseObserver<ReqT, RespT>) listener.observer;
      cro.beforeStart(requests);
    }
    requests.frozen = true;
    call.start(listener, new Metadata());
    if (requests.autoRequest) {
      call.request(initial);
    }
    return requests;
  }

  private static Status cardinalityViolation(String what) {
    return Status.UNIMPLEMENTED.withDescription("Response cardinality violation: " + what);
  }

  /** The request side handed to the application for streaming calls. */
  private static final class RequestObserver<ReqT> extends ClientCallStreamObserver<ReqT> {
    private final ClientCall<ReqT, ?> call;
    volatile boolean frozen;
    boolean autoRequest = true;
    @Nullable Runnable onReadyHandler;
    private boolean completed;

    RequestObserver(ClientCall<ReqT, ?> call) {
      this.call = call;
    }

    @Override
    public void onNext(ReqT value) {
      if (completed) {
        throw new IllegalStateException("onNext after the request stream was completed or failed");
      }
      call.sendMessage(value);
    }

    @Override
    public void onError(Throwable t) {
      completed = true;
      call.cancel("The client's request stream failed", t);
    }

    @Override
    public void onCompleted() {
      if (completed) {
        throw new IllegalStateException("onCompleted after the request stream was completed");
      }
      completed = true;
      call.halfClose();
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
    public void cancel(@Nullable String message, @Nullable Throwable cause) {
      call.cancel(message, cause);
    }

    private void checkNotFrozen(String what) {
      if (frozen) {
        throw new IllegalStateException(what + " must be called in beforeStart()");
      }
    }
  }

  /** Delivers a call's responses to a {@link StreamObserver}. */
  private static final class ObserverListener<ReqT, RespT> extends ClientCall.Listener<RespT> {
    private final ClientCall<ReqT, RespT> call;
    final StreamObserver<RespT> observer;
    private final boolean singleResponse;
    @Nullable RequestObserver<ReqT> requests;
    private boolean gotResponse;
    private @Nullable Status violation;

    ObserverListener(ClientCall<ReqT, RespT> call, StreamObserver<RespT> observer, boolean single) {
      this.call = call;
      this.observer = Objects.requireNonNull(observer, "responseObserver");
      this.singleResponse = single;
    }

    @Override
    public void onMessage(RespT message) {
      if (violation != null) {
        return;
      }
      if (singleResponse && gotResponse) {
        violation = cardinalityViolation("more than one response for a single-response method");
        call.cancel(violation.getDescription(), null);
        return;
      }
      gotResponse = true;
      observer.onNext(message);
      if (!singleResponse && (requests == null || requests.autoRequest)) {
        call.request(1);
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if (violation != null) {
        observer.onError(violation.asRuntimeException(trailers));
      } else if (!status.isOk()) {
        observer.onError(status.asRuntimeException(trailers));
      } else if (singleResponse && !gotResponse) {
        observer.onError(cardinalityViolation("no response for a single-response method")
            .asRuntimeException(trailers));
      } else {
        observer.onCompleted();
      }
    }

    @Override
    public void onReady() {
      if (requests != null && requests.onReadyHandler != null) {
        requests.onReadyHandler.run();
      }
    }
  }

  /** Completes a {@link CallFuture} from a unary call. */
  private static final class FutureListener<RespT> extends ClientCall.Listener<RespT> {
    private final ClientCall<?, RespT> call;
    private final CallFuture<RespT> future;
    private @Nullable RespT value;
    private boolean gotResponse;
    private @Nullable Status violation;

    FutureListener(ClientCall<?, RespT> call, CallFuture<RespT> future) {
      this.call = call;
      this.future = future;
    }

    @Override
    public void onMessage(RespT message) {
      if (gotResponse) {
        if (violation == null) {
          violation = cardinalityViolation("more than one response for a unary call");
          call.cancel(violation.getDescription(), null);
        }
        return;
      }
      gotResponse = true;
      value = message;
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if (violation != null) {
        future.completeExceptionally(violation.asRuntimeException(trailers));
      } else if (!status.isOk()) {
        future.completeExceptionally(status.asRuntimeException(trailers));
      } else if (!gotResponse) {
        future.completeExceptionally(
            cardinalityViolation("no response for a unary call").asRuntimeException(trailers));
      } else {
        future.complete(value);
      }
    }
  }

  /** A future that cancels its call when cancelled. */
  private static final class CallFuture<RespT> extends CompletableFuture<RespT> {
    private final ClientCall<?, RespT> call;

    CallFuture(ClientCall<?, RespT> call) {
      this.call = call;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        call.cancel("The future was cancelled", null);
      }
      return cancelled;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }

  /** The iterator of a blocking server-streaming call. */
  private static final class BlockingResponseStream<RespT> implements Iterator<RespT> {
    private static final Object END = new Object();

    private final ClientCall<?, RespT> call;
    private final ThreadlessExecutor executor;
    // Touched only on the iterating thread: callbacks run there through the executor.
    private final ArrayDeque<Object> buffer = new ArrayDeque<>();
    private @Nullable Status closeStatus;
    private @Nullable Metadata closeTrailers;
    private boolean finished;

    BlockingResponseStream(ClientCall<?, RespT> call, ThreadlessExecutor executor) {
      this.call = call;
      this.executor = executor;
    }

    ClientCall.Listener<RespT> listener() {
      return new ClientCall.Listener<>() {
        @Override
        public void onMessage(RespT message) {
          buffer.add(message);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          closeStatus = status;
          closeTrailers = trailers;
          buffer.add(END);
        }
      };
    }

    @Override
    public boolean hasNext() {
      boolean interrupted = false;
      try {
        while (buffer.isEmpty()) {
          if (finished) {
            return false;
          }
          try {
            executor.waitAndDrain();
          } catch (InterruptedException e) {
            interrupted = true;
            call.cancel("The calling thread was interrupted", e);
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      if (buffer.peek() == END) {
        buffer.poll();
        finished = true;
        executor.shutdown();
        // onClose sets the status before it queues END.
        Status status = Objects.requireNonNull(closeStatus, "closeStatus");
        if (!status.isOk()) {
          throw status.asRuntimeException(closeTrailers);
        }
        return false;
      }
      return true;
    }

    @Override
    public RespT next() {
      if (!hasNext()) {
        throw new NoSuchElementException("The server sent no more responses");
      }
      @SuppressWarnings("unchecked")
      RespT message = (RespT) buffer.poll();
      call.request(1);
      return message;
    }
  }
}
