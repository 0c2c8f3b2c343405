package dev.grpcspring.codegen;

import dev.grpcspring.Metadata;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.ServerCall;
import dev.grpcspring.Status;
import java.util.ArrayList;
import java.util.List;

/** A server call without a transport: records what the handler does with it. */
final class RecordingServerCall<ReqT, RespT> extends ServerCall<ReqT, RespT> {
  private final MethodDescriptor<ReqT, RespT> method;
  final List<RespT> sent = new ArrayList<>();
  int requested;
  Status closedWith;
  Metadata closedTrailers;

  RecordingServerCall(MethodDescriptor<ReqT, RespT> method) {
    this.method = method;
  }

  @Override
  public void request(int numMessages) {
    requested += numMessages;
  }

  @Override
  public void sendHeaders(Metadata headers) {}

  @Override
  public void sendMessage(RespT message) {
    if (closedWith != null) {
      throw new IllegalStateException("sendMessage after close");
    }
    sent.add(message);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    if (closedWith != null) {
      throw new IllegalStateException("closed twice: " + closedWith + " then " + status);
    }
    closedWith = status;
    closedTrailers = trailers;
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
