package dev.grpcspring;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Rich error details: a {@code google.rpc.Status} (code, message and typed details) carried in the
 * {@code grpc-status-details-bin} trailer beside {@code grpc-status} and {@code grpc-message}.
 */
public final class StatusProto {
  /** The trailer that carries the serialized {@code google.rpc.Status}. */
  public static final Metadata.Key<com.google.rpc.Status> STATUS_DETAILS_KEY =
      Metadata.Key.of("grpc-status-details-bin", new Metadata.BinaryMarshaller<>() {
        @Override
        public byte[] toBytes(com.google.rpc.Status value) {
          return value.toByteArray();
        }

        @Override
        public com.google.rpc.Status parseBytes(byte[] serialized) {
          try {
            return com.google.rpc.Status.parseFrom(serialized);
          } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(
                "grpc-status-details-bin is not a google.rpc.Status: " + e.getMessage(), e);
          }
        }
      });

  private StatusProto() {}

  /** An exception whose status, message and details come from {@code status}. */
  public static StatusException toStatusException(com.google.rpc.Status status) {
    return toStatusException(status, new Metadata());
  }

  /**
   * An exception whose status, message and details come from {@code status}, with {@code trailers}
   * added (any details already in them are replaced).
   *
   * @throws IllegalArgumentException if the code is not a canonical gRPC code
   */
  public static StatusException toStatusException(
      com.google.rpc.Status status, @Nullable Metadata trailers) {
    Code code = Code.forValue(status.getCode());
    if (code == null) {
      throw new IllegalArgumentException(
          "google.rpc.Status code " + status.getCode() + " is not a gRPC status code (0-16)");
    }
    Metadata md = new Metadata();
    if (trailers != null) {
      md.merge(trailers);
      md.discardAll(STATUS_DETAILS_KEY);
    }
    md.put(STATUS_DETAILS_KEY, status);
    Status s = Status.fromCode(code);
    if (!status.getMessage().isEmpty()) {
      s = s.withDescription(status.getMessage());
    }
    return s.asException(md);
  }

  /** {@link #toStatusException(com.google.rpc.Status)} under grpc-java's name for it. */
  public static StatusRuntimeException toStatusRuntimeException(com.google.rpc.Status status) {
    return toStatusRuntimeException(status, new Metadata());
  }

  /** {@link #toStatusException(com.google.rpc.Status, Metadata)} under grpc-java's name for it. */
  public static StatusRuntimeException toStatusRuntimeException(
      com.google.rpc.Status status, @Nullable Metadata trailers) {
    StatusException e = toStatusException(status, trailers);
    return e.getStatus().asRuntimeException(e.getTrailers());
  }

  /**
   * The {@code google.rpc.Status} carried by a throwable's {@link StatusException}, or {@code null}
   * when there is none in its chain.
   */
  public static com.google.rpc.@Nullable Status fromThrowable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StatusException se) {
        return fromStatusAndTrailers(se.getStatus(), se.getTrailers());
      }
    }
    return null;
  }

  /**
   * The details in {@code trailers} if they are present once, parse, and agree with
   * {@code status}'s code; otherwise a {@code google.rpc.Status} with just the code and
   * description (details that disagree or cannot be parsed are ignored, as grpc-go does).
   */
  public static com.google.rpc.Status fromStatusAndTrailers(
      Status status, @Nullable Metadata trailers) {
    if (trailers != null) {
      try {
        List<com.google.rpc.Status> all = trailers.getAll(STATUS_DETAILS_KEY);
        if (all.size() == 1 && all.get(0).getCode() == status.getCode().value()) {
          return all.get(0);
        }
      } catch (IllegalArgumentException e) {
        // Unparseable details: fall through to the bare status, as documented above.
        java.util.logging.Logger.getLogger(StatusProto.class.getName())
            .log(java.util.logging.Level.FINE, "Ignoring unparseable grpc-status-details-bin", e);
      }
    }
    com.google.rpc.Status.Builder b =
        com.google.rpc.Status.newBuilder().setCode(status.getCode().value());
    if (status.getDescription() != null) {
      b.setMessage(status.getDescription());
    }
    return b.build();
  }
}
