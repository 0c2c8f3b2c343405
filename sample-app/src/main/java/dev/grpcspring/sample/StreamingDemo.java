package dev.grpcspring.sample;

import dev.grpcspring.boot.client.GrpcClient;
import dev.grpcspring.sample.proto.GreeterGrpc;
import dev.grpcspring.sample.proto.HelloReply;
import dev.grpcspring.sample.proto.HelloRequest;
import dev.grpcspring.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Runs once at startup and shows the async and future stubs: a client-streaming and a bidi call on
 * the async stub, and a unary call on the future stub. Turn it off with
 * {@code sample.demo.enabled=false}.
 */
@Component
@org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(
    name = "sample.demo.enabled", havingValue = "true", matchIfMissing = true)
public class StreamingDemo implements ApplicationRunner {
  private static final Logger log = LoggerFactory.getLogger(StreamingDemo.class);

  @GrpcClient("greeter")
  private GreeterGrpc.GreeterStub async;

  @GrpcClient("greeter")
  private GreeterGrpc.GreeterFutureStub future;

  @Override
  public void run(ApplicationArguments args) throws Exception {
    CompletableFuture<HelloReply> unary =
        future.sayHello(HelloRequest.newBuilder().setName("future stub").build());
    log.info("Unary (future stub): {}", unary.get(10, TimeUnit.SECONDS).getMessage());

    CountDownLatch done = new CountDownLatch(2);
    StreamObserver<HelloRequest> many = async.sayHelloToMany(logging("Client streaming", done));
    for (String name : List.of("Ada", "Grace", "Linus")) {
      many.onNext(HelloRequest.newBuilder().setName(name).build());
    }
    many.onCompleted();

    StreamObserver<HelloRequest> chat = async.chat(logging("Bidi streaming", done));
    for (String name : List.of("Ken", "Barbara")) {
      chat.onNext(HelloRequest.newBuilder().setName(name).build());
    }
    chat.onCompleted();

    if (!done.await(10, TimeUnit.SECONDS)) {
      log.warn("The streaming demo calls did not finish within 10 s");
    }
  }

  private static StreamObserver<HelloReply> logging(String what, CountDownLatch done) {
    return new StreamObserver<>() {
      @Override
      public void onNext(HelloReply value) {
        log.info("{}: {}", what, value.getMessage());
      }

      @Override
      public void onError(Throwable t) {
        log.warn("{} failed: {}", what, t.toString());
        done.countDown();
      }

      @Override
      public void onCompleted() {
        done.countDown();
      }
    };
  }
}
