package dev.grpcspring.boot.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.when;

import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * A {@code @MockitoBean} replaces a stub bean, whether {@link ImportGrpcClients} or a property
 * declared it; the application's beans get the mock. Nothing listens on the channel's target, so
 * a real stub's call would fail.
 */
@SpringBootTest(classes = GrpcStubBeanMockitoTest.App.class, properties = {
    "grpc.client.channel.echo.target=localhost:1",
    "grpc.client.channel.echo.stubs="
        + "dev.grpcspring.boot.test.proto.EchoServiceGrpc.EchoServiceFutureStub"})
class GrpcStubBeanMockitoTest {

  static class Caller {
    final EchoServiceGrpc.EchoServiceBlockingStub blocking;
    final EchoServiceGrpc.EchoServiceFutureStub future;

    Caller(EchoServiceGrpc.EchoServiceBlockingStub blocking,
        EchoServiceGrpc.EchoServiceFutureStub future) {
      this.blocking = blocking;
      this.future = future;
    }

    String call(String text) throws Exception {
      EchoRequest request = EchoRequest.newBuilder().setText(text).build();
      return blocking.echo(request).getText() + "/" + future.echo(request).get().getText();
    }
  }

  @SpringBootConfiguration
  @ImportAutoConfiguration(GrpcClientAutoConfiguration.class)
  @ImportGrpcClients(channel = "echo", types = EchoServiceGrpc.EchoServiceBlockingStub.class)
  @Import(Caller.class)
  static class App {}

  @MockitoBean
  EchoServiceGrpc.EchoServiceBlockingStub blocking;

  @MockitoBean
  EchoServiceGrpc.EchoServiceFutureStub future;

  @Autowired
  Caller caller;

  @Autowired
  ApplicationContext context;

  @Test
  void theMocksReplaceTheStubBeans() throws Exception {
    when(blocking.echo(any())).thenReturn(EchoResponse.newBuilder().setText("mocked").build());
    when(future.echo(any())).thenReturn(
        CompletableFuture.completedFuture(EchoResponse.newBuilder().setText("too").build()));

    assertThat(caller.call("hi")).isEqualTo("mocked/too");
    // Replaced under the documented names, not added beside them.
    assertThat(context.getBeansOfType(EchoServiceGrpc.EchoServiceBlockingStub.class))
        .containsOnlyKeys("echoEchoServiceBlockingStub");
    assertThat(context.getBeansOfType(EchoServiceGrpc.EchoServiceFutureStub.class))
        .containsOnlyKeys("echoEchoServiceFutureStub");
    assertThat(mockingDetails(context.getBean("echoEchoServiceBlockingStub")).isMock()).isTrue();
    assertThat(mockingDetails(context.getBean("echoEchoServiceFutureStub")).isMock()).isTrue();
  }
}
