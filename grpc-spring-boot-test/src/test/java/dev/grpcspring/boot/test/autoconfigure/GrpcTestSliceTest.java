package dev.grpcspring.boot.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.boot.client.GrpcClient;
import dev.grpcspring.boot.test.autoconfigure.proto.GreetRequest;
import dev.grpcspring.boot.test.autoconfigure.proto.GreeterGrpc;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** The slice loads the gRPC components only, and serves them in-process. */
@GrpcTest(services = GreeterService.class, properties = "slice.marker=present")
class GrpcTestSliceTest {

  @GrpcClient("any")
  GreeterGrpc.GreeterBlockingStub greeter;

  @Autowired
  ApplicationContext context;

  @Test
  void servesTheServiceUnderTest() {
    assertThat(greeter.greet(GreetRequest.newBuilder().setName("Ada").build()).getMessage())
        .isEqualTo("Hello, Ada");
  }

  @Test
  void addsItsProperties() {
    assertThat(context.getEnvironment().getProperty("slice.marker")).isEqualTo("present");
  }

  @Test
  void loadsAdviceButNotOtherComponents() {
    assertThat(context.getBeansOfType(GreeterAdvice.class)).hasSize(1);
    assertThat(context.getBeansOfType(UnrelatedComponent.class)).isEmpty();
    assertThatThrownBy(() -> greeter.greet(GreetRequest.newBuilder().setName("fail").build()))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).isEqualTo("no greeting for 'fail'");
        });
  }
}
