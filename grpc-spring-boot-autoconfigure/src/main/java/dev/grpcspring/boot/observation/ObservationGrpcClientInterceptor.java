package dev.grpcspring.boot.observation;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Channel;
import dev.grpcspring.ClientCall;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.Status;
import dev.grpcspring.interceptor.ClientInterceptor;
import dev.grpcspring.interceptor.ForwardingClientCall;
import dev.grpcspring.interceptor.ForwardingClientCallListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;

/**
 * Observes every call a channel makes as {@code grpc.client}: from {@code start} until the call
 * closes, tagged with its status. A tracer's propagation headers go into the request metadata, and
 * the response callbacks run inside the observation's scope.
 */
public final class ObservationGrpcClientInterceptor implements ClientInterceptor {
  private final ObservationRegistry registry;
  private final GrpcClientObservationConvention customConvention;

  /**
   * @param customConvention replaces {@link DefaultGrpcClientObservationConvention}; may be null
   */
  public ObservationGrpcClientInterceptor(ObservationRegistry registry,
      GrpcClientObservationConvention customConvention) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.customConvention = customConvention;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
      CallOptions callOptions, Channel next) {
    String authority = callOptions.getAuthority() != null ? callOptions.getAuthority()
        : next.authority();
    return new ForwardingClientCall<>(next.newCall(method, callOptions)) {
      @Override
      public void start(Listener<RespT> responseListener, Metadata headers) {
        GrpcClientObservationContext context =
            new GrpcClientObservationContext(headers, method, authority);
        Observation observation = GrpcObservationDocumentation.CLIENT.observation(customConvention,
            DefaultGrpcClientObservationConvention.INSTANCE, () -> context, registry).start();
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
}
