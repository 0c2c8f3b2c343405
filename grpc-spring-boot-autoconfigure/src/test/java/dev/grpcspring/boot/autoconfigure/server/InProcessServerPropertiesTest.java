package dev.grpcspring.boot.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.client.GrpcChannelFactory;
import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.boot.server.GrpcService;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import dev.grpcspring.inprocess.InProcessSocketAddress;
import dev.grpcspring.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code grpc.server.in-process.name}, {@code grpc.server.port=-1} and {@code grpc.client.in-process.name}. */
class InProcessServerPropertiesTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(GrpcExceptionHandlingAutoConfiguration.class,
          GrpcServerAutoConfiguration.class, GrpcClientAutoConfiguration.class))
      .withUserConfiguration(Service.class);

  static class Echo extends EchoServiceGrpc.EchoServiceImplBase {
    @Override
    public void echo(EchoRequest request, StreamObserver<EchoResponse> responseObserver) {
      responseObserver.onNext(EchoResponse.newBuilder().setText("in: " + request.getText()).build());
      responseObserver.onCompleted();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Service {
    @Bean
    @GrpcService
    Echo echo() {
      return new Echo();
    }
  }

  private static String call(GrpcChannelFactory channels, String channel) {
    return EchoServiceGrpc.newBlockingStub(channels.getChannel(channel, List.of()))
        .echo(EchoRequest.newBuilder().setText("x").build()).getText();
  }

  @Test
  void anInProcessNameServesBesideThePort() {
    runner.withPropertyValues("grpc.server.port=0", "grpc.server.in-process.name=beside",
        "grpc.client.channel.tcp.target=localhost:${local.grpc.server.port}",
        "grpc.client.channel.local.target=in-process:beside").run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(GrpcServerLifecycle.class).getServer().getListenAddresses())
              .hasSize(2).hasAtLeastOneElementOfType(InetSocketAddress.class)
              .hasAtLeastOneElementOfType(InProcessSocketAddress.class);
          GrpcChannelFactory channels = context.getBean(GrpcChannelFactory.class);
          assertThat(call(channels, "tcp")).isEqualTo("in: x");
          assertThat(call(channels, "local")).isEqualTo("in: x");
        });
  }

  @Test
  void portMinusOneLeavesOnlyTheInProcessListener() {
    runner.withPropertyValues("grpc.server.port=-1", "grpc.server.in-process.name=only",
        "grpc.client.channel.local.target=in-process:only").run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(GrpcServerLifecycle.class).getServer().getListenAddresses())
              .containsExactly(new InProcessSocketAddress("only"));
          assertThat(context.getEnvironment().getProperty(GrpcServerLifecycle.LOCAL_PORT_PROPERTY))
              .as("no network port to publish").isNull();
          assertThat(call(context.getBean(GrpcChannelFactory.class), "local")).isEqualTo("in: x");
        });
  }

  @Test
  void portMinusOneWithoutAnInProcessNameFailsStartup() {
    runner.withPropertyValues("grpc.server.port=-1").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("grpc.server.port")
          .hasMessageContaining("set grpc.server.in-process.name or grpc.server.listeners.* too");
    });
  }

  @Test
  void portMinusOneWithAnAddressFailsStartup() {
    runner.withPropertyValues("grpc.server.port=-1", "grpc.server.in-process.name=x",
        "grpc.server.address=127.0.0.1").run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause()
              .hasMessageContaining("grpc.server.address")
              .hasMessageContaining("turns the network listener off");
        });
  }

  @Test
  void theClientInProcessNameRoutesEveryChannelThere() {
    runner.withPropertyValues("grpc.server.port=-1", "grpc.server.in-process.name=routed",
        "grpc.client.in-process.name=routed",
        "grpc.client.channel.remote.target=dns:///nowhere.invalid:9").run(context -> {
          assertThat(context).hasNotFailed();
          GrpcChannelFactory channels = context.getBean(GrpcChannelFactory.class);
          assertThat(call(channels, "remote")).isEqualTo("in: x");
          assertThat(call(channels, "no-target-configured")).isEqualTo("in: x");
        });
  }
}
