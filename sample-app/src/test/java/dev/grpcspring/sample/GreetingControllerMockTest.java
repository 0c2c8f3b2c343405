package dev.grpcspring.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.grpcspring.sample.proto.GreeterGrpc;
import dev.grpcspring.sample.proto.HelloReply;
import dev.grpcspring.sample.proto.HelloRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * The controller's stub is a bean, so a test replaces it with a mock: the controller gets the mock
 * and no call reaches the gRPC service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {"grpc.server.port=0", "sample.demo.enabled=false"})
class GreetingControllerMockTest {

  @MockitoBean
  GreeterGrpc.GreeterBlockingStub greeter;

  @Autowired
  GreetingController controller;

  @Test
  void answersWithWhatTheMockedStubReturns() {
    when(greeter.sayHello(any())).thenReturn(HelloReply.newBuilder().setMessage("mocked").build());

    assertThat(controller.hello("Ada")).isEqualTo("mocked");
    verify(greeter).sayHello(HelloRequest.newBuilder().setName("Ada").build());
  }
}
