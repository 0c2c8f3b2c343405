package dev.grpcspring.boot.observation;

import dev.grpcspring.Code;
import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.RequestReplySenderContext;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * What a {@code grpc.client} observation knows about its call. Tracing writes propagation headers
 * into the request metadata (the carrier).
 */
public class GrpcClientObservationContext extends RequestReplySenderContext<Metadata, Object> {
  private final MethodDescriptor<?, ?> method;
  private final String authority;
  private volatile @Nullable Code statusCode;
  private final AtomicInteger attempts = new AtomicInteger();

  public GrpcClientObservationContext(Metadata headers, MethodDescriptor<?, ?> method,
      String authority) {
    super((carrier, key, value) -> {
      if (carrier != null) {
        carrier.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value);
      }
    }, Kind.CLIENT);
    setCarrier(headers);
    this.method = method;
    this.authority = authority;
  }

  /** The called method. */
  public MethodDescriptor<?, ?> getMethod() {
    return method;
  }

  /** The channel's authority, or null. */
  public String getAuthority() {
    return authority;
  }

  /** Attempts the call made so far (first, transparent retries, retries, hedges). */
  public int getAttempts() {
    return attempts.get();
  }

  /** Counts one more attempt. */
  public void attemptMade() {
    attempts.incrementAndGet();
  }

  /** The status the call ended with; null while it runs. */
  public @Nullable Code getStatusCode() {
    return statusCode;
  }

  public void setStatusCode(Code statusCode) {
    this.statusCode = statusCode;
  }
}
