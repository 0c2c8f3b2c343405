package dev.grpcspring.boot.aot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Metadata;
import dev.grpcspring.ServerCall;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.Status;
import dev.grpcspring.boot.advice.GrpcAdvice;
import dev.grpcspring.boot.advice.GrpcExceptionHandler;
import dev.grpcspring.boot.autoconfigure.client.ChannelProperties;
import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.server.GrpcExceptionHandlingAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.server.GrpcServerAutoConfiguration;
import dev.grpcspring.boot.client.GrpcClient;
import dev.grpcspring.boot.client.ImportGrpcClients;
import dev.grpcspring.boot.server.GrpcService;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import dev.grpcspring.interceptor.ServerInterceptor;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.core.env.MapPropertySource;
import org.springframework.javapoet.ClassName;

/**
 * Spring's AOT processing of a context with every way the starter finds things reflectively:
 * {@code @GrpcClient} on a field, a setter and a constructor parameter, stub beans from the
 * annotation and from properties, a {@code @GrpcService} naming an interceptor, a
 * {@code @GrpcAdvice}. It succeeds, generates the stub beans' code, and registers the hints.
 */
class GrpcAotProcessingTest {

  static class FieldClient {
    @GrpcClient("echo")
    EchoServiceGrpc.EchoServiceBlockingStub stub;
  }

  static class SetterClient {
    EchoServiceGrpc.EchoServiceFutureStub stub;

    @GrpcClient("echo")
    void setStub(EchoServiceGrpc.EchoServiceFutureStub stub) {
      this.stub = stub;
    }
  }

  static class ConstructorClient {
    final EchoServiceGrpc.EchoServiceStub stub;

    ConstructorClient(@GrpcClient("echo") EchoServiceGrpc.EchoServiceStub stub) {
      this.stub = stub;
    }
  }

  static class TypedInterceptor implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
        Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      return next.startCall(call, headers);
    }
  }

  @GrpcService(interceptors = TypedInterceptor.class)
  static class Echo extends EchoServiceGrpc.EchoServiceImplBase {
    @Override
    public void echo(EchoRequest request,
        dev.grpcspring.stub.StreamObserver<EchoResponse> responseObserver) {
      responseObserver.onNext(EchoResponse.newBuilder().setText(request.getText()).build());
      responseObserver.onCompleted();
    }
  }

  @GrpcAdvice
  static class Advice {
    @GrpcExceptionHandler(IllegalArgumentException.class)
    Status invalid(IllegalArgumentException e) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({GrpcExceptionHandlingAutoConfiguration.class,
      GrpcServerAutoConfiguration.class, GrpcClientAutoConfiguration.class})
  @ImportGrpcClients(channel = "echo", types = EchoServiceGrpc.EchoServiceBlockingStub.class)
  @Import({FieldClient.class, SetterClient.class, ConstructorClient.class, Echo.class,
      Advice.class})
  static class App {}

  private static RuntimeHints hints;
  private static String generatedSources;

  @BeforeAll
  static void processAheadOfTime() {
    try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
      context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", Map.of(
          "grpc.server.port", "0",
          "grpc.client.channel.echo.target", "localhost:1",
          "grpc.client.channel.other.target", "localhost:1",
          "grpc.client.channel.other.stubs",
          "dev.grpcspring.boot.test.proto.EchoServiceGrpc.EchoServiceFutureStub")));
      context.register(App.class);
      InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
      DefaultGenerationContext generation = new DefaultGenerationContext(
          new org.springframework.aot.generate.ClassNameGenerator(ClassName.get(App.class)),
          files);
      new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
      generation.writeGeneratedContent();
      hints = generation.getRuntimeHints();
      generatedSources = files.getGeneratedFiles(GeneratedFiles.Kind.SOURCE).values().stream()
          .map(Object::toString).collect(Collectors.joining("\n"));
    }
  }

  private static final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

  @Test
  void stubBeansAreGeneratedAsFactoryMethodCallsAndTheRegistrarIsLeftOut() {
    assertThat(generatedSources).contains("echoEchoServiceBlockingStub",
        "otherEchoServiceFutureStub", "createStub");
    // Its work is done at build time; at run time it would register the beans a second time.
    assertThat(generatedSources).doesNotContain("grpcStubBeansRegistrar");
  }

  @Test
  void stubFactoriesOfEveryStubAskedForAreInvocable() {
    assertThat(hints).matches(reflection.onMethodInvocation(EchoServiceGrpc.class,
        "newBlockingStub"));
    assertThat(hints).matches(reflection.onMethodInvocation(EchoServiceGrpc.class,
        "newFutureStub"));
    assertThat(hints).matches(reflection.onMethodInvocation(EchoServiceGrpc.class, "newStub"));
    assertThat(hints).matches(reflection.onType(EchoServiceGrpc.EchoServiceStub.class)
        .withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS));
  }

  @Test
  void grpcClientMembersAreReachable() throws Exception {
    assertThat(hints).matches(reflection.onFieldAccess(FieldClient.class, "stub"));
    assertThat(hints).matches(reflection.onMethodInvocation(SetterClient.class
        .getDeclaredMethod("setStub", EchoServiceGrpc.EchoServiceFutureStub.class)));
  }

  @Test
  void generatedMessagesAndServiceMetadataAreReachable() {
    assertThat(hints).matches(reflection.onType(EchoRequest.class)
        .withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS));
    assertThat(hints).matches(reflection.onType(EchoRequest.Builder.class)
        .withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS));
    assertThat(hints).matches(reflection.onType(EchoResponse.class)
        .withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS));
    assertThat(hints).matches(reflection.onType(Echo.class));
    assertThat(hints).matches(reflection.onType(TypedInterceptor.class)
        .withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS));
  }

  @Test
  void exceptionHandlersAreInvocable() throws Exception {
    assertThat(hints).matches(reflection.onMethodInvocation(
        Advice.class.getDeclaredMethod("invalid", IllegalArgumentException.class)));
  }

  @Test
  void channelPropertiesCanBeBound() {
    assertThat(hints).matches(reflection.onMethodInvocation(ChannelProperties.class,
        "setTarget"));
  }
}
