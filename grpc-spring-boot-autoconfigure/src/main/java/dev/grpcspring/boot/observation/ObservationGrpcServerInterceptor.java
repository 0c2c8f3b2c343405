package dev.grpcspring.boot.observation;

import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.Status;
import dev.grpcspring.interceptor.ForwardingServerCall;
import dev.grpcspring.interceptor.ForwardingServerCallListener;
import dev.grpcspring.interceptor.ServerInterceptor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Observes every call a server takes as {@code grpc.server}: from the start of the call until it
 * completes or is cancelled, tagged with the status the handler closed it with. The handler's
 * callbacks run inside the observation's scope, so a tracer's span is current in them.
 */
public final class ObservationGrpcServerInterceptor implements ServerInterceptor {
  private final ObservationRegistry registry;
  private final @Nullable GrpcServerObservationConvention customConvention;

  /**
   * @param customConvention replaces {@link DefaultGrpcServerObservationConvention}; may be null
   */
  public ObservationGrpcServerInterceptor(ObservationRegistry registry,
      @Nullable GrpcServerObservationConvention customConvention) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.customConvention = customConvention;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
      Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    GrpcServerObservationContext context = new GrpcServerObservationContext(headers,
        call.getMethodDescriptor(), call.getAuthority());
    Observation observation = GrpcObservationDocumentation.SERVER.observation(customConvention,
        DefaultGrpcServerObservationConvention.INSTANCE, () -> context, registry).start();
    Ending ending = new Ending(observation, context);
    ServerCall<ReqT, RespT> observed = new ForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        context.setStatusCode(status.getCode());
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<ReqT> listener;
    try (Observation.Scope scope = observation.openScope()) {
      listener = next.startCall(observed, headers);
    } catch (RuntimeException | Error e) {
      ending.failed(e);
      throw e;
    }
    return new ForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(ReqT message) {
        ending.run(() -> super.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        ending.run(super::onHalfClose);
      }

      @Override
      public void onReady() {
        ending.run(super::onReady);
      }

      @Override
      public void onCancel() {
        try {
          ending.run(super::onCancel);
        } finally {
          ending.end(Code.CANCELLED);
        }
      }

      @Override
      public void onComplete() {
        try {
          ending.run(super::onComplete);
        } finally {
          ending.end(Code.OK);
        }
      }
    };
  }

  /** Stops the observation once; remembers a failure the handler threw. */
  private static final class Ending {
    private final Observation observation;
    private final GrpcServerObservationContext context;
    private final AtomicBoolean stopped = new AtomicBoolean();

    Ending(Observation observation, GrpcServerObservationContext context) {
      this.observation = observation;
      this.context = context;
    }

    void run(Runnable callback) {
      try (Observation.Scope scope = observation.openScope()) {
        callback.run();
      } catch (RuntimeException | Error e) {
        // Whatever turns it into a status runs outside this interceptor: record it here.
        if (context.getStatusCode() == null) {
          context.setStatusCode(Status.fromThrowable(e).getCode());
        }
        observation.error(e);
        throw e;
      }
    }

    void failed(Throwable e) {
      if (context.getStatusCode() == null) {
        context.setStatusCode(Status.fromThrowable(e).getCode());
      }
      observation.error(e);
      end(Code.UNKNOWN);
    }

    /** Ends with the status the handler closed with, else {@code otherwise}. */
    void end(Code otherwise) {
      if (stopped.compareAndSet(false, true)) {
        if (context.getStatusCode() == null) {
          context.setStatusCode(otherwise);
        }
        observation.stop();
      }
    }
  }
}
