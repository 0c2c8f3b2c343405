package dev.grpcspring.sample;

import dev.grpcspring.boot.server.GrpcService;
import dev.grpcspring.sample.proto.HelloReply;
import dev.grpcspring.sample.proto.HelloRequest;
import dev.grpcspring.sample.proto.SecureGreeterGrpc;
import dev.grpcspring.stub.StreamObserver;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Greets the caller by the name in its token. The access rules are in {@code application.yml}:
 * OpenHello is permitted to anyone, SignedInHello falls under the default (authenticated), and
 * AdminHello needs the ADMIN role. ({@code @PreAuthorize} on the method would do the same with
 * {@code @EnableMethodSecurity}; the starter's tests cover that.)
 */
@GrpcService
public class SecureGreeterService extends SecureGreeterGrpc.SecureGreeterImplBase {

  @Override
  public void openHello(HelloRequest request, StreamObserver<HelloReply> responses) {
    answer(request, responses);
  }

  @Override
  public void signedInHello(HelloRequest request, StreamObserver<HelloReply> responses) {
    answer(request, responses);
  }

  @Override
  public void adminHello(HelloRequest request, StreamObserver<HelloReply> responses) {
    answer(request, responses);
  }

  private static void answer(HelloRequest request, StreamObserver<HelloReply> responses) {
    // The interceptor set the caller's context on this thread for this call only.
    Authentication caller = SecurityContextHolder.getContext().getAuthentication();
    responses.onNext(HelloReply.newBuilder()
        .setMessage("Hello, " + request.getName() + " (you are " + caller.getName() + ")")
        .build());
    responses.onCompleted();
  }
}
