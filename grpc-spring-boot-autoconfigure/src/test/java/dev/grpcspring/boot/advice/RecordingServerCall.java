package dev.grpcspring.boot.advice;

import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.ServerCall;
import dev.grpcspring.Status;
import java.util.ArrayList;
import java.util.List;

/** A server call with no transport: records what the handler sends and how it closes. */
final class RecordingServerCall<ReqT, RespT> extends ServerCall<ReqT, RespT> {
  private final MethodDescriptor<ReqT, RespT> method;
  final List<RespT> messages = new ArrayList<>();
  Status status;
  Metadata trailers;
  int closes;

  RecordingServerCall(MethodDescriptor<ReqT, RespT> method) {
    this.method = method;
  }

  @Override
  public void request(int numMessages) {}

  @Override
  public void sendHeaders(Metadata headers) {}

  @Override
  public void sendMessage(RespT message) {
    messages.add(message);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    this.status = status;
    this.trailers = trailers;
    closes++;
  }

  @Override
  public boolean isCancelled() {
    return false;
  }

  @Override
  public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
    return method;
  }
}
