package dev.grpcspring.sample;

import dev.grpcspring.StatusException;
import dev.grpcspring.sample.proto.GreeterGrpc;
import dev.grpcspring.sample.proto.HelloReply;
import dev.grpcspring.sample.proto.HelloRequest;
import dev.grpcspring.sample.proto.RepeatedHelloRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * HTTP endpoints that call the gRPC service through the {@code greeter} channel configured in
 * {@code application.yml}: try {@code curl 'localhost:8080/hello?name=Ada'}. The stub is an
 * ordinary bean ({@code @ImportGrpcClients} on {@link SampleApplication}), so plain constructor
 * injection receives it.
 */
@RestController
public class GreetingController {
  private final GreeterGrpc.GreeterBlockingStub greeter;

  public GreetingController(GreeterGrpc.GreeterBlockingStub greeter) {
    this.greeter = greeter;
  }

  /** One unary call. */
  @GetMapping("/hello")
  public String hello(@RequestParam(defaultValue = "") String name) {
    HelloReply reply = greeter.sayHello(HelloRequest.newBuilder().setName(name).build());
    return reply.getMessage();
  }

  /** One server-streaming call, collected. */
  @GetMapping("/hello/repeated")
  public List<String> repeated(
      @RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "3") int count) {
    Iterator<HelloReply> replies = greeter.sayHelloRepeatedly(
        RepeatedHelloRequest.newBuilder().setName(name).setCount(count).build());
    List<String> out = new ArrayList<>();
    replies.forEachRemaining(r -> out.add(r.getMessage()));
    return out;
  }

  /** A failed gRPC call answers 502 with the gRPC status, so the cause is visible in the browser. */
  @ExceptionHandler(StatusException.class)
  public ResponseEntity<String> grpcFailure(StatusException e) {
    return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body("gRPC call failed: " + e.getMessage());
  }
}
