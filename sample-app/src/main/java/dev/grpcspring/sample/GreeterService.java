package dev.grpcspring.sample;

import dev.grpcspring.Status;
import dev.grpcspring.boot.server.GrpcService;
import dev.grpcspring.sample.proto.GreeterGrpc;
import dev.grpcspring.sample.proto.HelloReply;
import dev.grpcspring.sample.proto.HelloRequest;
import dev.grpcspring.sample.proto.RepeatedHelloRequest;
import dev.grpcspring.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.env.Environment;

/**
 * The sample's service: one method of each gRPC shape. {@code @GrpcService} is all it takes for the
 * starter to serve it. {@code SayHello} also says which instance answered ({@code
 * sample.instance-name}, by default the application's name and its gRPC port), which shows where a
 * load-balanced channel sent the call.
 */
@GrpcService
public class GreeterService extends GreeterGrpc.GreeterImplBase {
  /** The most greetings one {@code SayHelloRepeatedly} call may ask for. */
  static final int MAX_REPEAT = 1000;

  private final Environment environment;

  public GreeterService(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void sayHello(HelloRequest request, StreamObserver<HelloReply> responseObserver) {
    responseObserver.onNext(greet(request.getName()).toBuilder().setServedBy(instanceName()).build());
    responseObserver.onCompleted();
  }

  /** Read per call: the gRPC port is known only once the server has bound it. */
  private String instanceName() {
    String name = environment.getProperty("sample.instance-name");
    if (name != null) {
      return name;
    }
    return environment.getProperty("spring.application.name", "sample") + "@"
        + environment.getProperty("local.grpc.server.port", "in-process");
  }

  @Override
  public void sayHelloRepeatedly(
      RepeatedHelloRequest request, StreamObserver<HelloReply> responseObserver) {
    if (request.getCount() < 0 || request.getCount() > MAX_REPEAT) {
      responseObserver.onError(Status.INVALID_ARGUMENT
          .withDescription("count must be between 0 and " + MAX_REPEAT + ", was " + request.getCount())
          .asRuntimeException());
      return;
    }
    for (int i = 1; i <= request.getCount(); i++) {
      responseObserver.onNext(HelloReply.newBuilder()
          .setMessage("Hello, " + name(request.getName()) + " (" + i + " of " + request.getCount() + ")")
          .build());
    }
    responseObserver.onCompleted();
  }

  @Override
  public StreamObserver<HelloRequest> sayHelloToMany(StreamObserver<HelloReply> responseObserver) {
    List<String> names = new ArrayList<>();
    return new StreamObserver<>() {
      @Override
      public void onNext(HelloRequest value) {
        names.add(name(value.getName()));
      }

      @Override
      public void onError(Throwable t) {
        // The client went away; there is nobody left to answer.
      }

      @Override
      public void onCompleted() {
        responseObserver.onNext(HelloReply.newBuilder()
            .setMessage("Hello, " + (names.isEmpty() ? "nobody" : String.join(" and ", names)))
            .build());
        responseObserver.onCompleted();
      }
    };
  }

  @Override
  public StreamObserver<HelloRequest> chat(StreamObserver<HelloReply> responseObserver) {
    return new StreamObserver<>() {
      @Override
      public void onNext(HelloRequest value) {
        responseObserver.onNext(greet(value.getName()));
      }

      @Override
      public void onError(Throwable t) {
        // The client cancelled; the call is already over.
      }

      @Override
      public void onCompleted() {
        responseObserver.onCompleted();
      }
    };
  }

  private static HelloReply greet(String name) {
    return HelloReply.newBuilder().setMessage("Hello, " + name(name)).build();
  }

  private static String name(String name) {
    return name.isBlank() ? "stranger" : name;
  }
}
