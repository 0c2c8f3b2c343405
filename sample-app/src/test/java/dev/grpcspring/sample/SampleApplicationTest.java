package dev.grpcspring.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.boot.server.LocalGrpcServerPort;
import dev.grpcspring.sample.proto.HelloReply;
import dev.grpcspring.sample.proto.HelloRequest;
import dev.grpcspring.sample.proto.RepeatedHelloRequest;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
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
 * with no knowledge of our runtime, and over HTTP. One class, so that the AOT run, which gives each
 * test class its own context, starts the sample once.
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

  @Test
  void healthAndReflectionAnswerGrpcJavasClients() {
    io.grpc.health.v1.HealthCheckResponse health = io.grpc.health.v1.HealthGrpc
        .newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(io.grpc.health.v1.HealthCheckRequest.getDefaultInstance());
    assertThat(health.getStatus())
        .isEqualTo(io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);

    List<String> services = new ArrayList<>();
    CompletableFuture<Void> listed = new CompletableFuture<>();
    StreamObserver<io.grpc.reflection.v1.ServerReflectionRequest> reflection =
        io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .serverReflectionInfo(new StreamObserver<>() {
              @Override
              public void onNext(io.grpc.reflection.v1.ServerReflectionResponse value) {
                value.getListServicesResponse().getServiceList()
                    .forEach(svc -> services.add(svc.getName()));
              }

              @Override
              public void onError(Throwable t) {
                listed.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                listed.complete(null);
              }
            });
    reflection.onNext(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder()
        .setListServices("").build());
    reflection.onCompleted();
    listed.join();
    assertThat(services).contains("grpcspring.sample.Greeter", "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection", "grpc.channelz.v1.Channelz");
  }

  @Test
  void actuatorShowsTheServerTheChannelAndTheirMetrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    // One call through the configured channel, so the client side has something to report.
    http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/hello?name=M"))
        .build(), HttpResponse.BodyHandlers.ofString());

    String grpc = get(http, "/actuator/grpc");
    assertThat(grpc).contains("grpcspring.sample.Greeter").contains("greeter");
    String health = get(http, "/actuator/health");
    assertThat(health).contains("grpcServer").contains("grpcChannels");
    String prometheus = get(http, "/actuator/prometheus");
    assertThat(prometheus).contains("grpc_server").contains("grpc_client")
        .contains("rpc_method=\"SayHello\"");
  }

  private String get(HttpClient http, String path) throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
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

  // The SecureGreeter service: access rules from application.yml, bearer tokens relayed by REST.
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://localhost:" + httpPort + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String token(String user, String roles) throws Exception {
    HttpResponse<String> response = get("/secure/token?user=" + user + "&roles=" + roles, null);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  @Test
  void withoutATokenOnlyTheOpenMethodAnswers() throws Exception {
    HttpResponse<String> open = get("/secure/open?name=Ada", null);
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(open.body()).isEqualTo("Hello, Ada (you are anonymousUser)");
    for (String level : new String[] {"signed-in", "admin"}) {
      HttpResponse<String> refused = get("/secure/" + level + "?name=Ada", null);
      assertThat(refused.statusCode()).as(level).isEqualTo(401);
      assertThat(refused.body()).contains("UNAUTHENTICATED");
    }
  }

  @Test
  void aUserTokenSignsInButIsNotAdmin() throws Exception {
    String token = token("ada", "USER");
    HttpResponse<String> signedIn = get("/secure/signed-in?name=Ada", token);
    assertThat(signedIn.statusCode()).isEqualTo(200);
    assertThat(signedIn.body()).isEqualTo("Hello, Ada (you are ada)");
    HttpResponse<String> admin = get("/secure/admin?name=Ada", token);
    assertThat(admin.statusCode()).isEqualTo(403);
    assertThat(admin.body()).contains("PERMISSION_DENIED");
  }

  @Test
  void anAdminTokenReachesEveryMethod() throws Exception {
    String token = token("root", "USER,ADMIN");
    assertThat(get("/secure/admin?name=Bo", token).body()).isEqualTo("Hello, Bo (you are root)");
    assertThat(get("/secure/open?name=Bo", token).body()).isEqualTo("Hello, Bo (you are root)");
  }

  @Test
  void aForgedTokenIsRefused() throws Exception {
    String token = token("ada", "ADMIN");
    String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
    assertThat(get("/secure/open?name=x", forged).statusCode()).isEqualTo(401);
  }

  @Test
  void grpcJavaWithAToken() throws Exception {
    ManagedChannel tokenChannel = NettyChannelBuilder.forAddress("localhost", grpcPort)
        .usePlaintext().build();
    try {
      MethodDescriptor<HelloRequest, HelloReply> signedIn = MethodDescriptor
          .<HelloRequest, HelloReply>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("grpcspring.sample.SecureGreeter/SignedInHello")
          .setRequestMarshaller(ProtoUtils.marshaller(HelloRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(HelloReply.getDefaultInstance()))
          .build();
      HelloRequest request = HelloRequest.newBuilder().setName("Cy").build();
      CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
      try {
        ClientCalls.blockingUnaryCall(tokenChannel, signedIn, options, request);
        throw new AssertionError("a call without a token was let in");
      } catch (StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      }
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
          "Bearer " + token("cy", "USER"));
      HelloReply reply = ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(tokenChannel,
          MetadataUtils.newAttachHeadersInterceptor(headers)), signedIn, options, request);
      assertThat(reply.getMessage()).isEqualTo("Hello, Cy (you are cy)");
    } finally {
      tokenChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
