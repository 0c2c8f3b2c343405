package dev.grpcspring.boot.test.autoconfigure;

import dev.grpcspring.boot.server.GrpcService;
import dev.grpcspring.boot.test.autoconfigure.proto.GreetReply;
import dev.grpcspring.boot.test.autoconfigure.proto.GreetRequest;
import dev.grpcspring.boot.test.autoconfigure.proto.GreeterGrpc;
import dev.grpcspring.stub.StreamObserver;

/** Greets; a name "fail" throws, for the advice. */
@GrpcService
public class GreeterService extends GreeterGrpc.GreeterImplBase {

  @Override
  public void greet(GreetRequest request, StreamObserver<GreetReply> responses) {
    if ("fail".equals(request.getName())) {
      throw new IllegalArgumentException("no greeting for 'fail'");
    }
    responses.onNext(GreetReply.newBuilder().setMessage("Hello, " + request.getName()).build());
    responses.onCompleted();
  }

  @Override
  public void greetMany(GreetRequest request, StreamObserver<GreetReply> responses) {
    for (int i = 0; i < request.getCount(); i++) {
      responses.onNext(GreetReply.newBuilder().setMessage(i + ": " + request.getName()).build());
    }
    responses.onCompleted();
  }
}
