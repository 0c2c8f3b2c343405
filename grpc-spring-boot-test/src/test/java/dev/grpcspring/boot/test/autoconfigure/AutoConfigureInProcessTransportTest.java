package dev.grpcspring.boot.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.grpcspring.boot.client.GrpcClient;
import dev.grpcspring.boot.server.GrpcServerLifecycle;
import dev.grpcspring.boot.test.autoconfigure.proto.GreetReply;
import dev.grpcspring.boot.test.autoconfigure.proto.GreetRequest;
import dev.grpcspring.boot.test.autoconfigure.proto.GreeterGrpc;
import dev.grpcspring.inprocess.InProcessSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/**
 * A whole application under {@code @SpringBootTest} with the annotation: its server listens only
 * in-process, and a channel whose target names a real host still reaches it.
 */
@SpringBootTest(properties = "grpc.client.channel.greeter.target=dns:///nowhere.invalid:9")
@AutoConfigureInProcessTransport
class AutoConfigureInProcessTransportTest {

  @GrpcClient("greeter")
  GreeterGrpc.GreeterBlockingStub greeter;

  @Autowired
  GrpcServerLifecycle server;

  @Autowired
  Environment environment;

  @Test
  void callsReachTheServerInProcess() {
    GreetReply reply = greeter.greet(GreetRequest.newBuilder().setName("Ada").build());
    assertThat(reply.getMessage()).isEqualTo("Hello, Ada");

    List<String> replies = new ArrayList<>();
    greeter.greetMany(GreetRequest.newBuilder().setName("Ada").setCount(3).build())
        .forEachRemaining(r -> replies.add(r.getMessage()));
    assertThat(replies).containsExactly("0: Ada", "1: Ada", "2: Ada");
  }

  @Test
  void theServerListensOnlyInProcess() throws Exception {
    assertThat(server.getServer().getListenAddresses())
        .singleElement().isInstanceOf(InProcessSocketAddress.class);
    assertThat(environment.getProperty("grpc.server.in-process.name")).startsWith("grpc-test-");
    assumeThat(ListeningSockets.supported()).as("Linux /proc to list sockets").isTrue();
    assertThat(ListeningSockets.ofThisProcess()).as("TCP sockets this JVM listens on").isEmpty();
  }
}
