package dev.grpcspring;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Describes one method of a service: its full name, its {@link MethodType}, and how its request and
 * response messages are marshalled. Generated code holds one per method; both the client and the
 * server use it.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 */
public final class MethodDescriptor<ReqT, RespT> {
  private final MethodType type;
  private final String fullMethodName;
  private final String serviceName;
  private final String bareMethodName;
  private final String path;
  private final Marshaller<ReqT> requestMarshaller;
  private final Marshaller<RespT> responseMarshaller;
  private final @Nullable Object schemaDescriptor;
  private final boolean idempotent;
  private final boolean safe;

  // Per-transport cache (for instance the :path header as an AsciiString); set once, racy-safe.
  private volatile @Nullable Object transportCache;

  private MethodDescriptor(Builder<ReqT, RespT> b) {
    this.type = Objects.requireNonNull(b.type, "type");
    this.fullMethodName = Objects.requireNonNull(b.fullMethodName, "fullMethodName");
    int slash = fullMethodName.lastIndexOf('/');
    if (slash <= 0 || slash == fullMethodName.length() - 1) {
      throw new IllegalArgumentException(
          "Full method name '" + fullMethodName + "' must look like 'package.Service/Method'");
    }
    this.serviceName = fullMethodName.substring(0, slash);
    this.bareMethodName = fullMethodName.substring(slash + 1);
    this.path = "/" + fullMethodName;
    this.requestMarshaller = Objects.requireNonNull(b.requestMarshaller, "requestMarshaller");
    this.responseMarshaller = Objects.requireNonNull(b.responseMarshaller, "responseMarshaller");
    this.schemaDescriptor = b.schemaDescriptor;
    this.idempotent = b.idempotent;
    this.safe = b.safe;
  }

  /** {@code service + "/" + method}. */
  public static String generateFullMethodName(String fullServiceName, String methodName) {
    return fullServiceName + "/" + methodName;
  }

  public static <ReqT, RespT> Builder<ReqT, RespT> newBuilder() {
    return new Builder<>();
  }

  public MethodType getType() {
    return type;
  }

  /** {@code package.Service/Method}. */
  public String getFullMethodName() {
    return fullMethodName;
  }

  /** {@code package.Service}. */
  public String getServiceName() {
    return serviceName;
  }

  /** {@code Method}. */
  public String getBareMethodName() {
    return bareMethodName;
  }

  /** The HTTP/2 {@code :path}: {@code /package.Service/Method}. */
  public String getPath() {
    return path;
  }

  public Marshaller<ReqT> getRequestMarshaller() {
    return requestMarshaller;
  }

  public Marshaller<RespT> getResponseMarshaller() {
    return responseMarshaller;
  }

  /** Schema information (a protobuf method descriptor supplier for generated code), or null. */
  public @Nullable Object getSchemaDescriptor() {
    return schemaDescriptor;
  }

  public boolean isIdempotent() {
    return idempotent;
  }

  public boolean isSafe() {
    return safe;
  }

  /** For transports: a value they derived from this descriptor once, or null. */
  public @Nullable Object getTransportCache() {
    return transportCache;
  }

  /** For transports: keeps a value derived from this descriptor. */
  public void setTransportCache(Object value) {
    transportCache = value;
  }

  @Override
  public String toString() {
    return "MethodDescriptor{" + fullMethodName + ", " + type + "}";
  }

  /** Builds {@link MethodDescriptor}s. */
  public static final class Builder<ReqT, RespT> {
    private @Nullable MethodType type;
    private @Nullable String fullMethodName;
    private @Nullable Marshaller<ReqT> requestMarshaller;
    private @Nullable Marshaller<RespT> responseMarshaller;
    private @Nullable Object schemaDescriptor;
    private boolean idempotent;
    private boolean safe;

    private Builder() {}

    public Builder<ReqT, RespT> setType(MethodType type) {
      this.type = type;
      return this;
    }

    public Builder<ReqT, RespT> setFullMethodName(String fullMethodName) {
      this.fullMethodName = fullMethodName;
      return this;
    }

    public Builder<ReqT, RespT> setRequestMarshaller(Marshaller<ReqT> marshaller) {
      this.requestMarshaller = marshaller;
      return this;
    }

    public Builder<ReqT, RespT> setResponseMarshaller(Marshaller<RespT> marshaller) {
      this.responseMarshaller = marshaller;
      return this;
    }

    public Builder<ReqT, RespT> setSchemaDescriptor(@Nullable Object schemaDescriptor) {
      this.schemaDescriptor = schemaDescriptor;
      return this;
    }

    public Builder<ReqT, RespT> setIdempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    public Builder<ReqT, RespT> setSafe(boolean safe) {
      this.safe = safe;
      return this;
    }

    public MethodDescriptor<ReqT, RespT> build() {
      return new MethodDescriptor<>(this);
    }
  }
}
