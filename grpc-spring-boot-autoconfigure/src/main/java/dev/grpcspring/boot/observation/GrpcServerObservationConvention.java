package dev.grpcspring.boot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and keys of {@code grpc.server} observations; implement it to add or change keys. */
public interface GrpcServerObservationConvention
    extends ObservationConvention<GrpcServerObservationContext> {
  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof GrpcServerObservationContext;
  }
}
