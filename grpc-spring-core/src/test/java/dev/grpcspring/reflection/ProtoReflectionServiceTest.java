package dev.grpcspring.reflection;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StringValue;
import dev.grpcspring.MethodType;
import dev.grpcspring.codec.ProtoMarshaller;
import dev.grpcspring.codegen.test.EchoRequest;
import dev.grpcspring.codegen.test.EchoResponse;
import dev.grpcspring.codegen.test.EchoServiceGrpc;
import dev.grpcspring.health.HealthStatusManager;
import dev.grpcspring.reflection.test.ExtensionsGrpc;
import dev.grpcspring.server.Server;
import dev.grpcspring.server.ServerBuilder;
import dev.grpcspring.server.ServerServiceDefinition;
import dev.grpcspring.stub.ServerCalls;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ExtensionRequest;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Our reflection service, asked by grpc-java's reflection stubs; a generic client uses it. */
@Timeout(30)
class ProtoReflectionServiceTest {
  private static final String ECHO = "grpcspring.codegen.test.EchoService";
  private static final String EXTENDABLE = "grpcspring.reflection.test.Extendable";
  private static final String ECHO_FILE = "grpcspring/codegen/test/echo.proto";
  private static final String COMMON_FILE = "grpcspring/codegen/test/common.proto";
  private static final String EXT_FILE = "grpcspring/reflection/test/extensions.proto";

  private Server server;
  private ManagedChannel channel;

  /** A service without a schema, which reflection cannot describe and leaves out. */
  private static ServerServiceDefinition noSchema() {
    ProtoMarshaller<StringValue> m = ProtoMarshaller.of(StringValue.getDefaultInstance());
    dev.grpcspring.MethodDescriptor<StringValue, StringValue> method =
        dev.grpcspring.MethodDescriptor.<StringValue, StringValue>newBuilder()
            .setType(MethodType.UNARY).setFullMethodName("plain.NoSchema/Call")
            .setRequestMarshaller(m).setResponseMarshaller(m).build();
    return ServerServiceDefinition.builder(
            dev.grpcspring.ServiceDescriptor.newBuilder("plain.NoSchema").addMethod(method).build())
        .addMethod(method, ServerCalls.asyncUnaryCall((req, obs) -> {
          obs.onNext(req);
          obs.onCompleted();
        }))
        .build();
  }

  @BeforeEach
  void start() throws Exception {
    AtomicReference<Server> ref = new AtomicReference<>();
    ProtoReflectionService reflection = new ProtoReflectionService(() -> ref.get().getServices());
    ServerBuilder builder = Server.builder()
        .address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(new EchoServiceGrpc.EchoServiceImplBase() {
          @Override
          public void echo(EchoRequest request,
              dev.grpcspring.stub.StreamObserver<EchoResponse> responseObserver) {
            responseObserver.onNext(EchoResponse.newBuilder()
                .setText("echo:" + request.getText()).setIndex(7).build());
            responseObserver.onCompleted();
          }
        })
        .registerService(new ExtensionsGrpc.ExtensionsImplBase() {})
        .registerService(new HealthStatusManager().getHealthService())
        .registerService(noSchema());
    reflection.bindServices().forEach(builder::registerService);
    server = builder.build();
    ref.set(server);
    server.start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  /** One reflection stream, asked one question at a time. */
  private static final class Stream<ReqT, RespT> implements StreamObserver<RespT> {
    final BlockingQueue<Object> responses = new LinkedBlockingQueue<>();
    StreamObserver<ReqT> requests;

    @Override
    public void onNext(RespT value) {
      responses.add(value);
    }

    @Override
    public void onError(Throwable t) {
      responses.add(t);
    }

    @Override
    public void onCompleted() {
      responses.add("completed");
    }

    @SuppressWarnings("unchecked")
    RespT ask(ReqT request) throws InterruptedException {
      requests.onNext(request);
      Object r = responses.poll(5, TimeUnit.SECONDS);
      assertThat(r).as("a reflection response within 5 s").isNotNull();
      if (r instanceof Throwable t) {
        throw new AssertionError("The reflection stream failed", t);
      }
      return (RespT) r;
    }
  }

  private Stream<ServerReflectionRequest, ServerReflectionResponse> v1() {
    Stream<ServerReflectionRequest, ServerReflectionResponse> s = new Stream<>();
    s.requests = ServerReflectionGrpc.newStub(channel).serverReflectionInfo(s);
    return s;
  }

  @SuppressWarnings("deprecation")
  private Stream<io.grpc.reflection.v1alpha.ServerReflectionRequest,
      io.grpc.reflection.v1alpha.ServerReflectionResponse> v1alpha() {
    Stream<io.grpc.reflection.v1alpha.ServerReflectionRequest,
        io.grpc.reflection.v1alpha.ServerReflectionResponse> s = new Stream<>();
    s.requests = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel)
        .serverReflectionInfo(s);
    return s;
  }

  private static ServerReflectionRequest symbol(String name) {
    return ServerReflectionRequest.newBuilder().setHost("localhost")
        .setFileContainingSymbol(name).build();
  }

  private static final ServerReflectionRequest LIST =
      ServerReflectionRequest.newBuilder().setListServices("*").build();

  private static List<String> fileNames(ServerReflectionResponse response) throws Exception {
    assertThat(response.hasFileDescriptorResponse()).as(response.toString()).isTrue();
    List<String> names = new ArrayList<>();
    for (ByteString b : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      names.add(FileDescriptorProto.parseFrom(b).getName());
    }
    return names;
  }

  @Test
  void listsEveryServiceWithASchema() throws Exception {
    ServerReflectionResponse response = v1().ask(LIST);
    assertThat(response.getListServicesResponse().getServiceList())
        .extracting(ServiceResponse::getName)
        .containsExactly("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection", ECHO,
            "grpcspring.reflection.test.Extensions");
    assertThat(response.getOriginalRequest()).isEqualTo(LIST);
  }

  /**
   * For every listed service, the file containing it, with its dependencies, is enough to build
   * the descriptors, which describe the methods the server serves; a generic client then calls
   * the echo and health services with dynamic messages.
   */
  @Test
  void everyServiceIsDescribedWellEnoughForAGenericClientToCallIt() throws Exception {
    List<String> services = new ArrayList<>();
    for (ServiceResponse s : v1().ask(LIST).getListServicesResponse().getServiceList()) {
      services.add(s.getName());
    }
    Map<String, ServiceDescriptor> described = new HashMap<>();
    for (String service : services) {
      // A fresh stream each time, so every dependency comes with the answer.
      ServerReflectionResponse response = v1().ask(symbol(service));
      FileDescriptor file = build(response.getFileDescriptorResponse().getFileDescriptorProtoList());
      ServiceDescriptor descriptor = file.findServiceByName(
          service.substring(service.lastIndexOf('.') + 1));
      assertThat(descriptor).as(service).isNotNull();
      assertThat(descriptor.getFullName()).isEqualTo(service);
      List<String> served = server.getServices().stream()
          .filter(d -> d.getServiceDescriptor().getName().equals(service))
          .flatMap(d -> d.getServiceDescriptor().getMethods().stream())
          .map(m -> m.getFullMethodName()).toList();
      assertThat(descriptor.getMethods()).extracting(m -> service + "/" + m.getName())
          .containsExactlyElementsOf(served);
      described.put(service, descriptor);
    }

    MethodDescriptor echo = described.get(ECHO).findMethodByName("Echo");
    DynamicMessage request = DynamicMessage.newBuilder(echo.getInputType())
        .setField(echo.getInputType().findFieldByName("text"), "dynamic").build();
    DynamicMessage reply = dynamicUnary(echo, request);
    assertThat(reply.getField(echo.getOutputType().findFieldByName("text"))).isEqualTo("echo:dynamic");
    assertThat(reply.getField(echo.getOutputType().findFieldByName("index"))).isEqualTo(7);

    MethodDescriptor check = described.get("grpc.health.v1.Health").findMethodByName("Check");
    DynamicMessage health = dynamicUnary(check, DynamicMessage.getDefaultInstance(check.getInputType()));
    assertThat(health.getField(check.getOutputType().findFieldByName("status")).toString())
        .isEqualTo("SERVING");
  }

  private DynamicMessage dynamicUnary(MethodDescriptor method, DynamicMessage request) {
    io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> call =
        io.grpc.MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
            .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(
                method.getService().getFullName(), method.getName()))
            .setRequestMarshaller(ProtoUtils.marshaller(
                DynamicMessage.getDefaultInstance(method.getInputType())))
            .setResponseMarshaller(ProtoUtils.marshaller(
                DynamicMessage.getDefaultInstance(method.getOutputType())))
            .build();
    return ClientCalls.blockingUnaryCall(channel, call,
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
  }

  /** Builds the first file of a reflection answer from the files in it. */
  private static FileDescriptor build(List<ByteString> files)
      throws InvalidProtocolBufferException, DescriptorValidationException {
    Map<String, FileDescriptorProto> protos = new HashMap<>();
    for (ByteString b : files) {
      FileDescriptorProto p = FileDescriptorProto.parseFrom(b);
      protos.put(p.getName(), p);
    }
    return build(FileDescriptorProto.parseFrom(files.get(0)).getName(), protos, new HashMap<>());
  }

  private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
      Map<String, FileDescriptor> built) throws DescriptorValidationException {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    assertThat(proto).as("dependency " + name + " in the answer").isNotNull();
    List<FileDescriptor> deps = new ArrayList<>();
    for (String dep : proto.getDependencyList()) {
      deps.add(build(dep, protos, built));
    }
    FileDescriptor file = FileDescriptor.buildFrom(proto, deps.toArray(new FileDescriptor[0]));
    built.put(name, file);
    return file;
  }

  @Test
  void findsTheFileOfEveryKindOfSymbol() throws Exception {
    Stream<ServerReflectionRequest, ServerReflectionResponse> s = v1();
    Map<String, String> fileOf = Map.of(
        ECHO + ".Echo", ECHO_FILE,
        "grpcspring.codegen.test.Outer.Inner.Deeper", ECHO_FILE,
        "grpcspring.codegen.common.Shared", COMMON_FILE,
        EXTENDABLE, EXT_FILE,
        "grpcspring.reflection.test.Holder.Kind", EXT_FILE,
        "grpcspring.reflection.test.note", EXT_FILE,
        "grpcspring.reflection.test.Holder.holder", EXT_FILE,
        "grpcspring.reflection.test.Extensions.Get", EXT_FILE,
        ".grpc.health.v1.HealthCheckResponse.ServingStatus", "grpc/health/v1/health.proto");
    for (Map.Entry<String, String> e : fileOf.entrySet()) {
      assertThat(fileNames(s.ask(symbol(e.getKey())))).as(e.getKey()).first().isEqualTo(e.getValue());
    }
  }

  @Test
  void sendsDependenciesOncePerStreamButAlwaysTheFileAskedFor() throws Exception {
    Stream<ServerReflectionRequest, ServerReflectionResponse> s = v1();
    assertThat(fileNames(s.ask(symbol(ECHO)))).containsExactly(ECHO_FILE, COMMON_FILE);
    assertThat(fileNames(s.ask(symbol("grpcspring.codegen.common.Shared"))))
        .containsExactly(COMMON_FILE);
    assertThat(fileNames(s.ask(ServerReflectionRequest.newBuilder()
        .setFileByFilename(ECHO_FILE).build()))).containsExactly(ECHO_FILE);
    // The extensions file needs common.proto too, which this stream already has.
    assertThat(fileNames(s.ask(symbol(EXTENDABLE)))).containsExactly(EXT_FILE);
    // Another stream starts afresh.
    assertThat(fileNames(v1().ask(symbol(EXTENDABLE)))).containsExactly(EXT_FILE, COMMON_FILE);
  }

  @Test
  void answersExtensionQueries() throws Exception {
    Stream<ServerReflectionRequest, ServerReflectionResponse> s = v1();
    ServerReflectionResponse numbers = s.ask(ServerReflectionRequest.newBuilder()
        .setAllExtensionNumbersOfType(EXTENDABLE).build());
    assertThat(numbers.getAllExtensionNumbersResponse().getBaseTypeName()).isEqualTo(EXTENDABLE);
    assertThat(numbers.getAllExtensionNumbersResponse().getExtensionNumberList())
        .containsExactly(100, 120, 150);
    assertThat(s.ask(ServerReflectionRequest.newBuilder()
            .setAllExtensionNumbersOfType("grpcspring.reflection.test.Holder").build())
        .getAllExtensionNumbersResponse().getExtensionNumberList()).isEmpty();

    ServerReflectionResponse file = s.ask(ServerReflectionRequest.newBuilder()
        .setFileContainingExtension(ExtensionRequest.newBuilder()
            .setContainingType(EXTENDABLE).setExtensionNumber(120)).build());
    assertThat(fileNames(file)).first().isEqualTo(EXT_FILE);

    ServerReflectionResponse missing = s.ask(ServerReflectionRequest.newBuilder()
        .setFileContainingExtension(ExtensionRequest.newBuilder()
            .setContainingType(EXTENDABLE).setExtensionNumber(101)).build());
    assertThat(missing.getErrorResponse().getErrorCode()).isEqualTo(Status.Code.NOT_FOUND.value());
    ServerReflectionResponse noType = s.ask(ServerReflectionRequest.newBuilder()
        .setAllExtensionNumbersOfType("no.Such").build());
    assertThat(noType.getErrorResponse().getErrorCode()).isEqualTo(Status.Code.NOT_FOUND.value());
  }

  @Test
  void unknownNamesGetNotFoundAndTheStreamGoesOn() throws Exception {
    Stream<ServerReflectionRequest, ServerReflectionResponse> s = v1();
    ServerReflectionResponse unknown = s.ask(symbol("no.such.Symbol"));
    assertThat(unknown.hasErrorResponse()).isTrue();
    assertThat(unknown.getErrorResponse().getErrorCode()).isEqualTo(Status.Code.NOT_FOUND.value());
    assertThat(unknown.getErrorResponse().getErrorMessage()).contains("no.such.Symbol");
    assertThat(unknown.getValidHost()).isEqualTo("localhost");
    assertThat(unknown.getOriginalRequest()).isEqualTo(symbol("no.such.Symbol"));
    // A service without a schema is not described either.
    assertThat(s.ask(symbol("plain.NoSchema")).getErrorResponse().getErrorCode())
        .isEqualTo(Status.Code.NOT_FOUND.value());
    assertThat(s.ask(ServerReflectionRequest.newBuilder().setFileByFilename("nope.proto").build())
        .getErrorResponse().getErrorCode()).isEqualTo(Status.Code.NOT_FOUND.value());
    assertThat(s.ask(ServerReflectionRequest.getDefaultInstance()).getErrorResponse()
        .getErrorCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
    assertThat(fileNames(s.ask(symbol(ECHO)))).first().isEqualTo(ECHO_FILE);
    s.requests.onCompleted();
    assertThat(s.responses.poll(5, TimeUnit.SECONDS)).isEqualTo("completed");
  }

  @Test
  @SuppressWarnings("deprecation")
  void v1alphaAnswersTheSame() throws Exception {
    var s = v1alpha();
    var list = s.ask(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
        .setListServices("").build());
    assertThat(list.getListServicesResponse().getServiceList())
        .extracting(io.grpc.reflection.v1alpha.ServiceResponse::getName)
        .contains(ECHO, "grpc.reflection.v1alpha.ServerReflection");
    var file = s.ask(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
        .setHost("h").setFileContainingSymbol(ECHO + ".Chat").build());
    assertThat(file.getValidHost()).isEqualTo("h");
    FileDescriptor echo = build(file.getFileDescriptorResponse().getFileDescriptorProtoList());
    Descriptor deeper = echo.findMessageTypeByName("Outer").findNestedTypeByName("Inner")
        .findNestedTypeByName("Deeper");
    assertThat(deeper.getFields()).hasSize(1);
    var unknown = s.ask(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
        .setFileContainingSymbol("no.Such").build());
    assertThat(unknown.getErrorResponse().getErrorCode()).isEqualTo(Status.Code.NOT_FOUND.value());
    assertThat(unknown.getOriginalRequest().getFileContainingSymbol()).isEqualTo("no.Such");
  }
}
