package dev.grpcspring.benchmarks.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.benchmarks.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ServerCommandTest {
  private final PrintStream out =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  @Test
  void aServerAskedForAModeItDoesNotHaveIsRefusedBeforeItStarts() {
    assertThatThrownBy(() -> ServerCommand.run(
            Options.parse(new String[] {"--impl=vertx", "--executor=pooled"}, 0), out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vertx's server runs in [event-loop] mode, not pooled");
    assertThatThrownBy(() -> ServerCommand.run(
            Options.parse(new String[] {"--impl=grpc-java", "--executor=event-loop"}, 0), out))
        .hasMessageContaining("[pooled, direct]");
  }

  @Test
  void anUnknownRuntimeNamesTheKnownOnes() {
    assertThatThrownBy(() -> ServerCommand.run(
            Options.parse(new String[] {"--impl=helidon"}, 0), out))
        .hasMessageContaining("ours, grpc-java, vertx, armeria, netty");
  }
}
