package dev.grpcspring.boot.advice;

import dev.grpcspring.Metadata;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.interceptor.ForwardingServerCall;
import dev.grpcspring.interceptor.ServerInterceptor;
import org.jspecify.annotations.Nullable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.Ordered;

/**
 * The error boundary of every service: it runs first, so it sees what the other interceptors and
 * the service throw, in {@code startCall} and in every listener callback, and what a service passes
 * to {@code responseObserver.onError}. Each such exception goes through the
 * {@link GrpcExceptionTranslator} and closes the call with the status and trailers it returns.
 */
public class GrpcExceptionInterceptor implements ServerInterceptor, Ordered {

  private static final Log log = LogFactory.getLog(GrpcExceptionInterceptor.class);

  private final GrpcExceptionTranslator translator;

  public GrpcExceptionInterceptor(GrpcExceptionTranslator translator) {
    this.translator = translator;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    TranslatingCall<ReqT, RespT> translating = new TranslatingCall<>(call, headers, translator);
    ServerCall.Listener<ReqT> delegate;
    try {
      delegate = next.startCall(translating, headers);
    } catch (RuntimeException | Error e) {
      translating.fail(e);
      return new ServerCall.Listener<>() {};
    }
    return new GuardedListener<>(delegate, translating);
  }

  /** Maps the cause of a failing close to the advice's status. */
  private static final class TranslatingCall<ReqT, RespT> extends ForwardingServerCall<ReqT, RespT> {
    private final Metadata headers;
    private final GrpcExceptionTranslator translator;
    private volatile boolean closed;
    // Set when this boundary closed the call for an exception: the handler never completed it,
    // so requests still arriving must not reach it.
    private volatile boolean failed;

    TranslatingCall(ServerCall<ReqT, RespT> delegate, Metadata headers,
        GrpcExceptionTranslator translator) {
      super(delegate);
      this.headers = headers;
      this.translator = translator;
    }

    @Override
    public void close(Status status, Metadata trailers) {
      Throwable cause = status.getCause();
      if (!status.isOk() && cause != null && !(cause instanceof StatusException)) {
        // An exception a service passed to onError (ServerCalls wraps it as UNKNOWN with cause).
        StatusException mapped = translator.translate(cause, getMethodDescriptor(), headers);
        closeOnce(mapped.getStatus(), merge(trailers, mapped.getTrailers()));
        return;
      }
      closeOnce(status, trailers);
    }

    void fail(Throwable t) {
      if (closed) {
        log.warn("Exception in gRPC method " + getMethodDescriptor().getFullMethodName()
            + " after the call was closed; nothing reaches the client", t);
        return;
      }
      if (isCancelled()) {
        log.debug("Exception in cancelled gRPC method "
            + getMethodDescriptor().getFullMethodName(), t);
        return;
      }
      failed = true;
      StatusException mapped = translator.translate(t, getMethodDescriptor(), headers);
      Metadata trailers = mapped.getTrailers();
      closeOnce(mapped.getStatus(), trailers == null ? new Metadata() : trailers);
    }

    boolean failed() {
      return failed;
    }

    private void closeOnce(Status status, Metadata trailers) {
      if (closed) {
        return;
      }
      closed = true;
      super.close(status, trailers);
    }

    private static Metadata merge(@Nullable Metadata base, @Nullable Metadata extra) {
      Metadata out = base == null ? new Metadata() : base;
      if (extra != null) {
        out.merge(extra);
      }
      return out;
    }
  }

  /** Catches what listener callbacks throw and closes the call with the mapped status. */
  private static final class GuardedListener<ReqT> extends ServerCall.Listener<ReqT> {
    private final ServerCall.Listener<ReqT> delegate;
    private final TranslatingCall<ReqT, ?> call;

    GuardedListener(ServerCall.Listener<ReqT> delegate, TranslatingCall<ReqT, ?> call) {
      this.delegate = delegate;
      this.call = call;
    }

    @Override
    public void onMessage(ReqT message) {
      if (call.failed()) {
        return;
      }
      try {
        delegate.onMessage(message);
      } catch (RuntimeException | Error e) {
        call.fail(e);
      }
    }

    @Override
    public void onHalfClose() {
      if (call.failed()) {
        return;
      }
      try {
        delegate.onHalfClose();
      } catch (RuntimeException | Error e) {
        call.fail(e);
      }
    }

    @Override
    public void onCancel() {
      try {
        delegate.onCancel();
      } catch (RuntimeException | Error e) {
        log.warn("Exception in the cancellation handler of gRPC method "
            + call.getMethodDescriptor().getFullMethodName(), e);
      }
    }

    @Override
    public void onComplete() {
      try {
        delegate.onComplete();
      } catch (RuntimeException | Error e) {
        log.warn("Exception after gRPC method "
            + call.getMethodDescriptor().getFullMethodName() + " completed", e);
      }
    }

    @Override
    public void onReady() {
      if (call.failed()) {
        return;
      }
      try {
        delegate.onReady();
      } catch (RuntimeException | Error e) {
        call.fail(e);
      }
    }
  }
}
