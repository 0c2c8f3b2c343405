package dev.grpcspring.boot.observation;

import dev.grpcspring.boot.observation.GrpcObservationDocumentation.HighCardinalityKeys;
import dev.grpcspring.boot.observation.GrpcObservationDocumentation.LowCardinalityKeys;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default {@code grpc.server} convention: the observation is named {@code grpc.server}, its
 * contextual (span) name is the full method name, and it carries {@code rpc.service}, {@code
 * rpc.method}, {@code rpc.type} and {@code grpc.status_code}.
 */
public class DefaultGrpcServerObservationConvention implements GrpcServerObservationConvention {
  /** The shared instance. */
  public static final DefaultGrpcServerObservationConvention INSTANCE =
      new DefaultGrpcServerObservationConvention();

  @Override
  public String getName() {
    return "grpc.server";
  }

  @Override
  public String getContextualName(GrpcServerObservationContext context) {
    return context.getMethod().getFullMethodName();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(GrpcServerObservationContext context) {
    return KeyValues.of(
        KeyValue.of(LowCardinalityKeys.SERVICE, String.valueOf(context.getMethod().getServiceName())),
        KeyValue.of(LowCardinalityKeys.METHOD, String.valueOf(context.getMethod().getBareMethodName())),
        KeyValue.of(LowCardinalityKeys.METHOD_TYPE, context.getMethod().getType().name()),
        KeyValue.of(LowCardinalityKeys.STATUS_CODE,
            context.getStatusCode() == null ? "UNKNOWN" : context.getStatusCode().name()));
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(GrpcServerObservationContext context) {
    return context.getAuthority() == null ? KeyValues.empty()
        : KeyValues.of(KeyValue.of(HighCardinalityKeys.AUTHORITY, context.getAuthority()));
  }
}
