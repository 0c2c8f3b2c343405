package dev.grpcspring.stub;

/**
 * A response observer that is handed the request side before the call starts, to set up flow control
 * or keep a handle for cancellation.
 *
 * @param <ReqT> the request message type
 * @param <RespT> the response message type
 */
public interface ClientResponseObserver<ReqT, RespT> extends StreamObserver<RespT> {
  /** Called once, before the call starts. */
  void beforeStart(ClientCallStreamObserver<ReqT> requestStream);
}
