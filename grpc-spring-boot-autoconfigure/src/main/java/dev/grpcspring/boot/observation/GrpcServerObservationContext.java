package dev.grpcspring.boot.observation;

import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * What a {@code grpc.server} observation knows about its call. Tracing reads propagation headers
 * from the request metadata (the carrier).
 */
public class GrpcServerObservationContext extends RequestReplyReceiverContext<Metadata, Object> {
  private final MethodDescriptor<?, ?> method;
  private final @Nullable String authority;
  private volatile @Nullable Code statusCode;

  public GrpcServerObservationContext(Metadata headers, MethodDescriptor<?, ?> method,
      @Nullable String authority) {
    super(GrpcServerObservationContext::header, Kind.SERVER);
    setCarrier(headers);
    this.method = method;
    this.authority = authority;
  }

  private static @Nullable String header(Metadata carrier, String key) {
    try {
      return carrier.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
    } catch (IllegalArgumentException e) {
      return null; // not a valid ASCII header name: no such header can exist
    }
  }

  /** The called method. */
  public MethodDescriptor<?, ?> getMethod() {
    return method;
  }

  /** The call's {@code :authority}, or null. */
  public @Nullable String getAuthority() {
    return authority;
  }

  /** The status the call ended with; null while it runs. */
  public @Nullable Code getStatusCode() {
    return statusCode;
  }

  public void setStatusCode(Code statusCode) {
    this.statusCode = statusCode;
  }
}
