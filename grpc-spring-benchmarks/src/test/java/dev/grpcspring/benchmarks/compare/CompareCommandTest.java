package dev.grpcspring.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.benchmarks.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The compare harness end to end on a short setting (the warm-up long enough for two cold JVMs on
 * a busy machine to answer): a fresh server JVM per run, the client
 * in its own JVM, the server sampled through its control channel, two rounds, and the ratio of
 * the rounds' ratios.
 */
class CompareCommandTest {
  @Test
  @Timeout(240)
  void printsEveryRunAndTheMedianRatioOfOursToGrpcJava() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    int exit =
        CompareCommand.run(
            Options.parse(
                new String[] {
                  "--scenario=unary-latency", "--peers=grpc-java", "--drivers=ours",
                  "--modes=pooled", "--rounds=2", "--warmup=3s", "--duration=1s",
                  "--jvm-args=-Xmx256m"
                },
                0),
            out);

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isZero();
    assertThat(text)
        .contains("round 2 unary-latency our client -> grpc-java (pooled)")
        .containsPattern("\\| unary-latency \\| our client \\| ours \\(pooled\\) +\\| [0-9]+")
        .containsPattern("\\| unary-latency \\| our client \\| grpc-java \\(pooled\\) +\\| [0-9]+")
        .containsPattern("\\| unary-latency \\| our client \\| ours \\(pooled\\) +\\|"
            + " grpc-java \\(pooled\\) +\\| [0-9.]+ +\\| [0-9.]+-[0-9.]+ +\\| p99 ")
        .doesNotContain("run failed");
  }

  @Test
  void rejectsWhatItCannotCompare() {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    assertThatThrownBy(() -> CompareCommand.run(
            Options.parse(new String[] {"--peers=ours"}, 0), out))
        .hasMessageContaining("ours always runs");
    assertThatThrownBy(() -> CompareCommand.run(
            Options.parse(new String[] {"--modes=event-loop"}, 0), out))
        .hasMessageContaining("--modes takes pooled and direct");
    assertThatThrownBy(() -> CompareCommand.run(
            Options.parse(new String[] {"--drivers=wrk"}, 0), out))
        .hasMessageContaining("async-client");
    assertThatThrownBy(() -> CompareCommand.run(
            Options.parse(new String[] {"--rounds=0"}, 0), out))
        .hasMessageContaining("--rounds");
    assertThatThrownBy(() -> CompareCommand.run(
            Options.parse(new String[] {"--pairs=same"}, 0), out))
        .hasMessageContaining("--drivers=");
    assertThatThrownBy(() -> CompareCommand.run(
            Options.parse(new String[] {"--direct"}, 0), out))
        .hasMessageContaining("--modes=direct");
  }
}
