package dev.grpcspring.boot.observation;

import dev.grpcspring.boot.observation.GrpcObservationDocumentation.HighCardinalityKeys;
import dev.grpcspring.boot.observation.GrpcObservationDocumentation.LowCardinalityKeys;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default {@code grpc.client} convention: the observation is named {@code grpc.client}, its
 * contextual (span) name is the full method name, and it carries {@code rpc.service}, {@code
 * rpc.method}, {@code rpc.type} and {@code grpc.status_code}.
 */
public class DefaultGrpcClientObservationConvention implements GrpcClientObservationConvention {
  /** The shared instance. */
  public static final DefaultGrpcClientObservationConvention INSTANCE =
      new DefaultGrpcClientObservationConvention();

  @Override
  public String getName() {
    return "grpc.client";
  }

  @Override
  public String getContextualName(GrpcClientObservationContext context) {
    return context.getMethod().getFullMethodName();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(GrpcClientObservationContext context) {
    return KeyValues.of(
        KeyValue.of(LowCardinalityKeys.SERVICE, String.valueOf(context.getMethod().getServiceName())),
        KeyValue.of(LowCardinalityKeys.METHOD, String.valueOf(context.getMethod().getBareMethodName())),
        KeyValue.of(LowCardinalityKeys.METHOD_TYPE, context.getMethod().getType().name()),
        KeyValue.of(LowCardinalityKeys.STATUS_CODE,
            context.getStatusCode() == null ? "UNKNOWN" : context.getStatusCode().name()));
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(GrpcClientObservationContext context) {
    KeyValues attempts = KeyValues.of(
        KeyValue.of(HighCardinalityKeys.ATTEMPTS, Integer.toString(context.getAttempts())));
    return context.getAuthority() == null ? attempts
        : attempts.and(KeyValue.of(HighCardinalityKeys.AUTHORITY, context.getAuthority()));
  }
}
