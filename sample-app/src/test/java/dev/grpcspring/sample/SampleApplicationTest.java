package dev.grpcspring.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.boot.server.LocalGrpcServerPort;
import dev.grpcspring.sample.proto.HelloReply;
import dev.grpcspring.sample.proto.HelloRequest;
import dev.grpcspring.sample.proto.RepeatedHelloRequest;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Starts the sample as a user would (free ports) and calls it from grpc-java, a standard gRPC client
 * with no knowledge of our runtime, and over HTTP.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "grpc.server.port=0")
class SampleApplicationTest {
  private static final MethodDescriptor<HelloRequest, HelloReply> SAY_HELLO =
      method("SayHello", MethodDescriptor.MethodType.UNARY, HelloRequest.getDefaultInstance());
  private static final MethodDescriptor<RepeatedHelloRequest, HelloReply> REPEATEDLY =
      method("SayHelloRepeatedly", MethodDescriptor.MethodType.SERVER_STREAMING,
          RepeatedHelloRequest.getDefaultInstance());
  private static final MethodDescriptor<HelloRequest, HelloReply> TO_MANY =
      method("SayHelloToMany", MethodDescriptor.MethodType.CLIENT_STREAMING,
          HelloRequest.getDefaultInstance());
  private static final MethodDescriptor<HelloRequest, HelloReply> CHAT =
      method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING, HelloRequest.getDefaultInstance());

  @LocalGrpcServerPort
  int grpcPort;

  @LocalServerPort
  int httpPort;

  private ManagedChannel channel;

  private static <ReqT extends com.google.protobuf.Message> MethodDescriptor<ReqT, HelloReply> method(
      String name, MethodDescriptor.MethodType type, ReqT requestPrototype) {
    return MethodDescriptor.<ReqT, HelloReply>newBuilder()
        .setType(type)
        .setFullMethodName("grpcspring.sample.Greeter/" + name)
        .setRequestMarshaller(ProtoUtils.marshaller(requestPrototype))
        .setResponseMarshaller(ProtoUtils.marshaller(HelloReply.getDefaultInstance()))
        .build();
  }

  @BeforeEach
  void connect() {
    channel = NettyChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static HelloRequest named(String name) {
    return HelloRequest.newBuilder().setName(name).build();
  }

  @Test
  void grpcJavaCallsEveryKind() throws Exception {
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);

    HelloReply unary = ClientCalls.blockingUnaryCall(channel, SAY_HELLO, options, named("Ada"));
    assertThat(unary.getMessage()).isEqualTo("Hello, Ada");

    Iterator<HelloReply> streamed = ClientCalls.blockingServerStreamingCall(channel, REPEATEDLY,
        options, RepeatedHelloRequest.newBuilder().setName("Bo").setCount(3).build());
    List<String> messages = new ArrayList<>();
    streamed.forEachRemaining(r -> messages.add(r.getMessage()));
    assertThat(messages).containsExactly(
        "Hello, Bo (1 of 3)", "Hello, Bo (2 of 3)", "Hello, Bo (3 of 3)");

    Collector toMany = new Collector();
    StreamObserver<HelloRequest> many =
        ClientCalls.asyncClientStreamingCall(channel.newCall(TO_MANY, options), toMany);
    many.onNext(named("Ann"));
    many.onNext(named("Ben"));
    many.onCompleted();
    assertThat(toMany.done.get(10, TimeUnit.SECONDS)).containsExactly("Hello, Ann and Ben");

    Collector chat = new Collector();
    StreamObserver<HelloRequest> bidi =
        ClientCalls.asyncBidiStreamingCall(channel.newCall(CHAT, options), chat);
    bidi.onNext(named("X"));
    bidi.onNext(named(""));
    bidi.onCompleted();
    assertThat(chat.done.get(10, TimeUnit.SECONDS)).containsExactly("Hello, X", "Hello, stranger");
  }

  @Test
  void badCountIsInvalidArgument() {
    Iterator<HelloReply> it = ClientCalls.blockingServerStreamingCall(channel, REPEATEDLY,
        CallOptions.DEFAULT, RepeatedHelloRequest.newBuilder().setCount(-1).build());
    try {
      it.hasNext();
      throw new AssertionError("expected INVALID_ARGUMENT");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).contains("count must be between 0 and 1000");
    }
  }

  @Test
  void restEndpointCallsTheServiceThroughTheConfiguredChannel() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/hello?name=Rest")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("Hello, Rest");

    HttpResponse<String> repeated = http.send(
        HttpRequest.newBuilder(
            URI.create("http://localhost:" + httpPort + "/hello/repeated?name=R&count=2")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(repeated.body()).contains("Hello, R (1 of 2)").contains("Hello, R (2 of 2)");
  }

  private static final class Collector implements StreamObserver<HelloReply> {
    final List<String> messages = new ArrayList<>();
    final CompletableFuture<List<String>> done = new CompletableFuture<>();

    @Override
    public void onNext(HelloReply value) {
      messages.add(value.getMessage());
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(messages);
    }
  }
}
