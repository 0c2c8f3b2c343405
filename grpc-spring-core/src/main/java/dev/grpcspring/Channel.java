package dev.grpcspring;

/**
 * Something calls can be made on: a {@code ClientConn}, or a channel wrapped with interceptors.
 * Generated stubs take one (grpc-go's {@code ClientConnInterface}).
 */
public interface Channel {
  /**
   * A new, not yet started call. Nothing goes on the wire until {@link ClientCall#start}.
   */
  <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions);

  /** The authority calls on this channel send by default. */
  String authority();
}
