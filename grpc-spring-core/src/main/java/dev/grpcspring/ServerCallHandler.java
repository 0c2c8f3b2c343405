package dev.grpcspring;

/**
 * Starts handling one incoming call. The server calls it once per call, on the server's executor.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 */
@FunctionalInterface
public interface ServerCallHandler<ReqT, RespT> {
  /**
   * Starts the call.
   *
   * @param call the call, for sending responses and closing
   * @param headers the request metadata, reserved headers removed
   * @return the listener that receives the client's messages
   */
  ServerCall.Listener<ReqT> startCall(ServerCall<ReqT, RespT> call, Metadata headers);
}
