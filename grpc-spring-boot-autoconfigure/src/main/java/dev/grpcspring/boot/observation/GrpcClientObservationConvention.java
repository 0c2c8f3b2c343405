package dev.grpcspring.boot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and keys of {@code grpc.client} observations; implement it to add or change keys. */
public interface GrpcClientObservationConvention
    extends ObservationConvention<GrpcClientObservationContext> {
  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof GrpcClientObservationContext;
  }
}
