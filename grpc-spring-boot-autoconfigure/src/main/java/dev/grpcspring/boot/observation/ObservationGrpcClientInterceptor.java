package dev.grpcspring.boot.observation;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.client.CallAttemptListener;
import dev.grpcspring.client.ClientCallOptions;
import dev.grpcspring.interceptor.ClientInterceptor;
import dev.grpcspring.interceptor.ForwardingClientCall;
import dev.grpcspring.interceptor.ForwardingClientCallListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Observes every call a channel makes as {@code grpc.client}: from {@code start} until the call
 * closes, tagged with its status. A tracer's propagation headers go into the request metadata, and
 * the response callbacks run inside the observation's scope.
 *
 * <p>Each attempt of the call (the first, transparent retries, retries and hedges, gRFC A6) is an
 * event on the observation: {@code grpc.client.attempt} when it starts (for instance "attempt 2:
 * HEDGE, grpc-previous-rpc-attempts=1"), {@code grpc.client.attempt.ended} when it ends ("attempt
 * 1: CANCELLED"), and {@code grpc.client.attempt.throttled} when retry throttling refused one; the
 * number of attempts is the span attribute {@code grpc.attempts}.
 */
public final class ObservationGrpcClientInterceptor implements ClientInterceptor {
  private final ObservationRegistry registry;
  private final @Nullable GrpcClientObservationConvention customConvention;

  /**
   * @param customConvention replaces {@link DefaultGrpcClientObservationConvention}; may be null
   */
  public ObservationGrpcClientInterceptor(ObservationRegistry registry,
      @Nullable GrpcClientObservationConvention customConvention) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.customConvention = customConvention;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
      CallOptions callOptions, Channel next) {
    String authority = callOptions.getAuthority() != null ? callOptions.getAuthority()
        : next.authority();
    AttemptEvents attempts = new AttemptEvents(callOptions.getOption(ClientCallOptions.ATTEMPT_LISTENER));
    CallOptions observed = ClientCallOptions.withAttemptListener(callOptions, attempts);
    return new ForwardingClientCall<>(next.newCall(method, observed)) {
      @Override
      public void start(Listener<RespT> responseListener, Metadata headers) {
        GrpcClientObservationContext context =
            new GrpcClientObservationContext(headers, method, authority);
        Observation observation = GrpcObservationDocumentation.CLIENT.observation(customConvention,
            DefaultGrpcClientObservationConvention.INSTANCE, () -> context, registry).start();
        attempts.observe(observation, context);
        Listener<RespT> observed = new ForwardingClientCallListener<>(responseListener) {
          @Override
          public void onHeaders(Metadata h) {
            try (Observation.Scope scope = observation.openScope()) {
              super.onHeaders(h);
            }
          }

          @Override
          public void onMessage(RespT message) {
            try (Observation.Scope scope = observation.openScope()) {
              super.onMessage(message);
            }
          }

          @Override
          public void onReady() {
            try (Observation.Scope scope = observation.openScope()) {
              super.onReady();
            }
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            context.setStatusCode(status.getCode());
            try (Observation.Scope scope = observation.openScope()) {
              super.onClose(status, trailers);
            } finally {
              observation.stop();
            }
          }
        };
        try (Observation.Scope scope = observation.openScope()) {
          super.start(observed, headers);
        } catch (RuntimeException | Error e) {
          observation.error(e);
          observation.stop();
          throw e;
        }
      }
    };
  }

  /** Turns the call's attempts into events on its observation, then tells the listener it replaced. */
  private static final class AttemptEvents implements CallAttemptListener {
    /** The listener the call's options already had, if any. */
    private final @Nullable CallAttemptListener delegate;
    private volatile @Nullable Observation observation;
    private volatile @Nullable GrpcClientObservationContext context;

    AttemptEvents(@Nullable CallAttemptListener delegate) {
      this.delegate = delegate;
    }

    void observe(Observation observation, GrpcClientObservationContext context) {
      this.observation = observation;
      this.context = context;
    }

    @Override
    public void attemptStarted(int number, Kind kind, int previousAttempts) {
      // Both, read once: an attempt may start on another thread while observe() runs.
      GrpcClientObservationContext c = context;
      Observation o = observation;
      if (c != null && o != null) {
        c.attemptMade();
        o.event(Observation.Event.of("grpc.client.attempt", "attempt " + number + ": "
            + kind + (previousAttempts > 0 ? ", grpc-previous-rpc-attempts=" + previousAttempts : "")));
      }
      if (delegate != null) {
        delegate.attemptStarted(number, kind, previousAttempts);
      }
    }

    @Override
    public void attemptEnded(int number, Status status, boolean committed) {
      Observation o = observation;
      if (o != null) {
        o.event(Observation.Event.of("grpc.client.attempt.ended", "attempt " + number + ": "
            + status.getCode() + (committed ? " (committed)" : "")));
      }
      if (delegate != null) {
        delegate.attemptEnded(number, status, committed);
      }
    }

    @Override
    public void throttled() {
      Observation o = observation;
      if (o != null) {
        o.event(Observation.Event.of("grpc.client.attempt.throttled",
            "retry throttling refused a retry or hedge"));
      }
      if (delegate != null) {
        delegate.throttled();
      }
    }
  }
}
