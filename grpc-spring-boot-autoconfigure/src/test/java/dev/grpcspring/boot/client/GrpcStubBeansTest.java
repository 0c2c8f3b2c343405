package dev.grpcspring.boot.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.autoconfigure.server.GrpcServerAutoConfiguration;
import dev.grpcspring.boot.server.GrpcService;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import dev.grpcspring.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

class GrpcStubBeansTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(GrpcServerAutoConfiguration.class,
          GrpcClientAutoConfiguration.class))
      .withBean("echoService", Echo.class)
      .withPropertyValues("grpc.server.port=0",
          "grpc.client.channel.echo.target=localhost:${local.grpc.server.port}");

  @GrpcService
  static class Echo extends EchoServiceGrpc.EchoServiceImplBase {
    @Override
    public void echo(EchoRequest request, StreamObserver<EchoResponse> responseObserver) {
      responseObserver.onNext(EchoResponse.newBuilder().setText(request.getText()).build());
      responseObserver.onCompleted();
    }
  }

  private static EchoRequest request(String text) {
    return EchoRequest.newBuilder().setText(text).build();
  }

  /** Takes the stub through plain constructor injection: no @Autowired, no qualifier. */
  static class Caller {
    final EchoServiceGrpc.EchoServiceBlockingStub stub;

    Caller(EchoServiceGrpc.EchoServiceBlockingStub stub) {
      this.stub = stub;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ImportGrpcClients(channel = "echo", types = EchoServiceGrpc.EchoServiceBlockingStub.class)
  @Import(Caller.class)
  static class OneChannel {}

  @Test
  void anImportedStubIsABeanInjectedByTypeInAConstructor() {
    runner.withUserConfiguration(OneChannel.class).run(ctx -> {
      assertThat(ctx).hasNotFailed();
      assertThat(ctx.getBeansOfType(EchoServiceGrpc.EchoServiceBlockingStub.class))
          .containsOnlyKeys("echoEchoServiceBlockingStub");
      Caller caller = ctx.getBean(Caller.class);
      assertThat(caller.stub).isSameAs(ctx.getBean("echoEchoServiceBlockingStub"));
      assertThat(caller.stub.echo(request("by type")).getText()).isEqualTo("by type");
    });
  }

  @Test
  void stubsListedInPropertiesAreBeans() {
    runner.withPropertyValues(
            // Java source form and binary form of a nested class name both work.
            "grpc.client.channel.echo.stubs[0]="
                + "dev.grpcspring.boot.test.proto.EchoServiceGrpc.EchoServiceFutureStub",
            "grpc.client.channel.echo.stubs[1]="
                + "dev.grpcspring.boot.test.proto.EchoServiceGrpc$EchoServiceStub")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          EchoServiceGrpc.EchoServiceFutureStub future =
              ctx.getBean("echoEchoServiceFutureStub", EchoServiceGrpc.EchoServiceFutureStub.class);
          assertThat(future.echo(request("future")).get(30, TimeUnit.SECONDS).getText())
              .isEqualTo("future");
          assertThat(ctx).getBean("echoEchoServiceStub")
              .isInstanceOf(EchoServiceGrpc.EchoServiceStub.class);
        });
  }

  @Test
  void theSameStubDeclaredByAnnotationAndPropertyIsOneBean() {
    runner.withUserConfiguration(OneChannel.class)
        .withPropertyValues("grpc.client.channel.echo.stubs="
            + "dev.grpcspring.boot.test.proto.EchoServiceGrpc.EchoServiceBlockingStub")
        .run(ctx -> assertThat(ctx).hasNotFailed()
            .hasSingleBean(EchoServiceGrpc.EchoServiceBlockingStub.class));
  }

  /** One stub type on two channels: a qualifier or the parameter name picks one. */
  static class TwoCallers {
    final EchoServiceGrpc.EchoServiceBlockingStub east;
    final EchoServiceGrpc.EchoServiceBlockingStub west;

    TwoCallers(@Qualifier("eastEchoServiceBlockingStub") EchoServiceGrpc.EchoServiceBlockingStub a,
        EchoServiceGrpc.EchoServiceBlockingStub westEchoServiceBlockingStub) {
      this.east = a;
      this.west = westEchoServiceBlockingStub;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ImportGrpcClients(channel = "east", types = EchoServiceGrpc.EchoServiceBlockingStub.class)
  @ImportGrpcClients(channel = "west", types = EchoServiceGrpc.EchoServiceBlockingStub.class)
  @Import(TwoCallers.class)
  static class TwoChannels {}

  @Test
  void twoChannelsWithTheSameStubTypeAreTwoBeansByName() {
    runner.withUserConfiguration(TwoChannels.class)
        .withPropertyValues(
            "grpc.client.channel.east.target=localhost:${local.grpc.server.port}",
            // Nothing listens on port 1: calls on west fail, which tells the two apart.
            "grpc.client.channel.west.target=localhost:1",
            "grpc.client.channel.west.deadline=5s")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(ctx.getBeansOfType(EchoServiceGrpc.EchoServiceBlockingStub.class))
              .containsOnlyKeys("eastEchoServiceBlockingStub", "westEchoServiceBlockingStub");
          TwoCallers callers = ctx.getBean(TwoCallers.class);
          assertThat(callers.east).isSameAs(ctx.getBean("eastEchoServiceBlockingStub"));
          assertThat(callers.west).isSameAs(ctx.getBean("westEchoServiceBlockingStub"));
          assertThat(callers.east.echo(request("east")).getText()).isEqualTo("east");
          assertThatThrownBy(() -> callers.west.echo(request("west")))
              .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getStatus()
                  .getCode()).isIn(Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED));
        });
  }

  @Configuration(proxyBeanMethods = false)
  @ImportGrpcClients(channel = "echo", types = String.class)
  static class NotAStub {}

  @Test
  void aTypeThatIsNotAGeneratedStubFailsTheStart() {
    runner.withUserConfiguration(NotAStub.class).run(ctx -> assertThat(ctx).hasFailed()
        .getFailure().hasStackTraceContaining("@ImportGrpcClients on " + NotAStub.class.getName()
            + " declares java.lang.String on channel 'echo', which is not a generated stub"));
    runner.withPropertyValues("grpc.client.channel.echo.stubs=java.lang.String")
        .run(ctx -> assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining(
            "property grpc.client.channel.echo.stubs[0] declares java.lang.String on channel"
                + " 'echo', which is not a generated stub"));
    runner.withPropertyValues("grpc.client.channel.echo.stubs=com.example.NoSuchGrpc.NoStub")
        .run(ctx -> assertThat(ctx).hasFailed().getFailure().hasStackTraceContaining(
            "grpc.client.channel.echo.stubs[0] names class 'com.example.NoSuchGrpc.NoStub',"
                + " which is not on the classpath"));
  }

  @Configuration(proxyBeanMethods = false)
  @ImportGrpcClients(channel = "nowhere", types = EchoServiceGrpc.EchoServiceBlockingStub.class)
  static class UnknownChannel {}

  @Test
  void anUnknownChannelFailsTheStartNamingTheProperty() {
    runner.withUserConfiguration(UnknownChannel.class).run(ctx -> assertThat(ctx).hasFailed()
        .getFailure()
        .hasStackTraceContaining("nowhereEchoServiceBlockingStub")
        .hasStackTraceContaining("gRPC channel 'nowhere' has no target: set"
            + " grpc.client.channel.nowhere.target"));
  }

  @Configuration(proxyBeanMethods = false)
  @ImportGrpcClients(channel = "user-service",
      types = EchoServiceGrpc.EchoServiceBlockingStub.class)
  @ImportGrpcClients(channel = "userService",
      types = EchoServiceGrpc.EchoServiceBlockingStub.class)
  static class ClashingNames {}

  @Test
  void twoChannelsWhoseBeanNamesClashFailTheStart() {
    runner.withUserConfiguration(ClashingNames.class).run(ctx -> assertThat(ctx).hasFailed()
        .getFailure().hasStackTraceContaining("declares stub bean"
            + " 'userServiceEchoServiceBlockingStub' ("
            + EchoServiceGrpc.EchoServiceBlockingStub.class.getName()
            + " on channel 'userService'), but that name is taken by the stub bean of channel"
            + " 'user-service'"));
  }

  @Test
  void beanNamesAreTheChannelInLowerCamelCaseThenTheStubsSimpleName() {
    assertThat(GrpcStubBeans.beanName("user-service",
        EchoServiceGrpc.EchoServiceBlockingStub.class))
        .isEqualTo("userServiceEchoServiceBlockingStub");
    assertThat(GrpcStubBeans.beanName("Billing.v2", EchoServiceGrpc.EchoServiceStub.class))
        .isEqualTo("billingV2EchoServiceStub");
    assertThat(GrpcStubBeans.beanName("default", EchoServiceGrpc.EchoServiceFutureStub.class))
        .isEqualTo("defaultEchoServiceFutureStub");
  }
}
