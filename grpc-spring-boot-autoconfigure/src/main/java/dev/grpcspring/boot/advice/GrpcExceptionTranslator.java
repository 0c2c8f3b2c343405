package dev.grpcspring.boot.advice;

import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns an exception thrown while serving a call into the status and trailers sent to the client,
 * through the {@link GrpcAdvice} handlers. An exception no handler maps becomes UNKNOWN with no
 * detail (its message and stack trace stay on the server) and is logged here, once.
 */
public class GrpcExceptionTranslator {

  private static final Log log = LogFactory.getLog(GrpcExceptionTranslator.class);

  /** Metadata key of the {@code google.rpc.Status} details trailer. */
  public static final Metadata.Key<byte[]> STATUS_DETAILS_KEY =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

  private final GrpcExceptionHandlerMethodResolver resolver;

  public GrpcExceptionTranslator(GrpcExceptionHandlerMethodResolver resolver) {
    this.resolver = resolver;
  }

  /**
   * The status and trailers for {@code exception}, thrown while serving {@code method}.
   *
   * @param headers the request headers of the call, or {@code null}
   */
  public StatusException translate(
      Throwable exception, MethodDescriptor<?, ?> method, Metadata headers) {
    GrpcExceptionHandlerMethodResolver.HandlerMethod handler = resolver.resolve(exception);
    if (handler == null) {
      if (exception instanceof StatusException se) {
        // Thrown on purpose with a status: the service already chose what the client sees.
        return se;
      }
      log.error("Unhandled exception in gRPC method " + method.getFullMethodName()
          + "; the client gets UNKNOWN. Map it to a status with a @GrpcExceptionHandler method in"
          + " a @GrpcAdvice bean.", exception);
      return Status.UNKNOWN.withDescription("Application error processing the call")
          .withCause(exception).asException();
    }
    return invoke(handler, exception, method, headers);
  }

  private StatusException invoke(
      GrpcExceptionHandlerMethodResolver.HandlerMethod handler,
      Throwable exception,
      MethodDescriptor<?, ?> method,
      Metadata headers) {
    Method m = handler.method();
    Object[] args = new Object[m.getParameterCount()];
    Class<?>[] types = m.getParameterTypes();
    for (int i = 0; i < types.length; i++) {
      args[i] = argument(types[i], exception, method, headers, m);
    }
    Object result;
    try {
      result = m.invoke(handler.bean(), args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof StatusException se) {
        return se;
      }
      // Method.invoke sets the handler's throwable as the cause; keep the wrapper if it ever did not.
      Throwable failure = e.getCause() != null ? e.getCause() : e;
      failure.addSuppressed(exception);
      log.error("@GrpcExceptionHandler " + m + " failed while handling an exception of "
          + method.getFullMethodName() + " (suppressed below); the client gets UNKNOWN", failure);
      return Status.UNKNOWN.withDescription("Application error processing the call")
          .withCause(exception).asException();
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("Cannot call @GrpcExceptionHandler " + m, e);
    }
    return toStatusException(result, exception, m);
  }

  private static @Nullable Object argument(
      Class<?> type, Throwable exception, MethodDescriptor<?, ?> method, Metadata headers,
      Method m) {
    if (type.isInstance(exception)) {
      return exception;
    }
    if (Throwable.class.isAssignableFrom(type)) {
      // Matched through a cause: hand the handler the cause it asked for.
      for (Throwable t = exception.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (type.isInstance(t)) {
          return t;
        }
      }
      return null;
    }
    if (type == MethodDescriptor.class) {
      return method;
    }
    if (type == Metadata.class) {
      return headers;
    }
    throw new IllegalStateException("@GrpcExceptionHandler " + m + " takes a " + type.getName()
        + "; handlers take only the exception, the MethodDescriptor and the request Metadata");
  }

  private static StatusException toStatusException(Object result, Throwable exception, Method m) {
    if (result instanceof StatusException se) {
      return se;
    }
    if (result instanceof Status status) {
      return status.withCause(exception).asException(new Metadata());
    }
    if (result instanceof com.google.rpc.Status proto) {
      Code code = Code.forValue(proto.getCode());
      Status status = (code == null ? Status.UNKNOWN : Status.fromCode(code))
          .withDescription(proto.getMessage().isEmpty() ? null : proto.getMessage())
          .withCause(exception);
      Metadata trailers = new Metadata();
      trailers.put(STATUS_DETAILS_KEY, proto.toByteArray());
      return status.asException(trailers);
    }
    throw new IllegalStateException("@GrpcExceptionHandler " + m + " returned "
        + (result == null ? "null" : result.getClass().getName())
        + "; return a Status, a StatusException or a com.google.rpc.Status");
  }
}
