package dev.grpcspring.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.benchmarks.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The compare harness end to end on its shortest setting: separate server and client JVMs for ours
 * and grpc-java, the server sampled through its control channel, and one table with a ratio row.
 */
class CompareCommandTest {
  @Test
  @Timeout(120)
  void printsOneTableWithTheRatioOfOursToGrpcJava() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    int exit =
        CompareCommand.run(
            Options.parse(
                new String[] {
                  "--scenario=unary-latency", "--pairs=same", "--warmup=300ms", "--duration=1s",
                  "--jvm-args=-Xmx256m"
                },
                0),
            out);

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isZero();
    assertThat(text)
        .contains("| unary-latency | ours -> ours ")
        .contains("| unary-latency | grpc-java -> grpc-java ")
        .contains("| unary-latency | **ratio ours / grpc-java** ")
        .doesNotContain("run failed");
  }
}
