package com.example.echo;

import com.google.rpc.BadRequest;
import com.google.protobuf.Any;
import dev.grpcspring.Code;
import dev.grpcspring.StatusProto;
import dev.grpcspring.boot.server.GrpcService;
import dev.grpcspring.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/** The service: one method of each kind. An empty shout is refused with rich error details. */
@GrpcService
public class EchoService extends EchoGrpc.EchoImplBase {
  @Override
  public void say(Shout request, StreamObserver<Reply> responseObserver) {
    if (request.getText().isEmpty()) {
      // google.rpc.Status and BadRequest come from proto-google-common-protos: this loads them.
      responseObserver.onError(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
          .setCode(Code.INVALID_ARGUMENT.value())
          .setMessage("text is empty")
          .addDetails(Any.pack(BadRequest.newBuilder()
              .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                  .setField("text").setDescription("must not be empty"))
              .build()))
          .build()));
      return;
    }
    responseObserver.onNext(reply(request.getText()));
    responseObserver.onCompleted();
  }

  @Override
  public void repeat(Shout request, StreamObserver<Reply> responseObserver) {
    for (int i = 0; i < request.getTimes(); i++) {
      responseObserver.onNext(reply(request.getText() + " " + (i + 1)));
    }
    responseObserver.onCompleted();
  }

  @Override
  public StreamObserver<Shout> gather(StreamObserver<Reply> responseObserver) {
    List<String> texts = new ArrayList<>();
    return new StreamObserver<>() {
      @Override
      public void onNext(Shout value) {
        texts.add(value.getText());
      }

      @Override
      public void onError(Throwable t) {
        // The client cancelled: nobody is waiting for the reply.
      }

      @Override
      public void onCompleted() {
        responseObserver.onNext(reply(String.join("+", texts)));
        responseObserver.onCompleted();
      }
    };
  }

  @Override
  public StreamObserver<Shout> chat(StreamObserver<Reply> responseObserver) {
    return new StreamObserver<>() {
      @Override
      public void onNext(Shout value) {
        responseObserver.onNext(reply(value.getText()));
      }

      @Override
      public void onError(Throwable t) {
        // The client cancelled: the call is over.
      }

      @Override
      public void onCompleted() {
        responseObserver.onCompleted();
      }
    };
  }

  private static Reply reply(String text) {
    return Reply.newBuilder().setText("echo " + text).build();
  }
}
