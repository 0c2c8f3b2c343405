package dev.grpcspring.sample;

import dev.grpcspring.StatusException;
import dev.grpcspring.sample.proto.GreeterGrpc;
import dev.grpcspring.sample.proto.HelloReply;
import dev.grpcspring.sample.proto.HelloRequest;
import dev.grpcspring.sample.proto.RepeatedHelloRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
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
  private final boolean showInstance;

  public GreetingController(GreeterGrpc.GreeterBlockingStub greeter,
      @Value("${sample.show-instance:false}") boolean showInstance) {
    this.greeter = greeter;
    this.showInstance = showInstance;
  }

  /**
   * One unary call; with {@code sample.show-instance} (the etcd profile) the answer names the
   * instance that served it.
   */
  @GetMapping("/hello")
  public String hello(@RequestParam(defaultValue = "") String name) {
    HelloReply reply = greeter.sayHello(HelloRequest.newBuilder().setName(name).build());
    return showInstance && !reply.getServedBy().isEmpty()
        ? reply.getMessage() + " (served by " + reply.getServedBy() + ")"
        : reply.getMessage();
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
