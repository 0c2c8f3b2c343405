package dev.grpcspring.client;

import dev.grpcspring.Marshaller;

/**
 * A codec that replaces a method's own marshallers for one call (grpc-go's {@code ForceCodec}): its
 * {@link #name()} becomes the content-subtype ({@code application/grpc+name}) and its marshallers
 * encode the request and decode the response. Set it with {@link ClientCallOptions#withCodec}.
 */
public interface CallCodec {
  /** The content-subtype, lowercase ({@code proto}, {@code json}). */
  String name();

  /**
   * The marshaller to use in place of {@code methodMarshaller}, which it may consult (for instance
   * for the protobuf message prototype).
   */
  <T> Marshaller<T> marshaller(Marshaller<T> methodMarshaller);
}
