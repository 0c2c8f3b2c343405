package dev.grpcspring.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.benchmarks.ExecutorMode;
import dev.grpcspring.benchmarks.Impl;
import dev.grpcspring.benchmarks.Options;
import dev.grpcspring.benchmarks.scaling.ChartCommand;
import dev.grpcspring.benchmarks.scaling.ScalingResults;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scaling sweep end to end on tiny points: ours and grpc-java, each point a fresh server JVM
 * driven by a client JVM, the memory sweep on 50 idle connections, and the CSV, charts and page
 * it writes (drawn again identically by {@code chart}). A cold client on a busy machine may need
 * longer than the 2 s warm-up for its first call; the window waits for it.
 */
class ScalingCommandTest {
  private static final String OURS = "ours (pooled)";
  private static final String GRPC = "grpc-java (pooled)";

  @Test
  @Timeout(240)
  void sweepsBothServersAndDrawsEveryPoint(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Path results = dir.resolve("bench");

    int exit = ScalingCommand.run(Options.parse(new String[] {
        "--peers=grpc-java", "--concurrency=1,10", "--sizes=10,1k", "--warmup=2s",
        "--duration=1s", "--connections=50", "--streams=50", "--settle=300ms", "--jvm-args=-Xmx256m",
        "--out=" + results}, 0), out, "scaling (test)");

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isZero();
    ScalingResults csv = ScalingResults.readCsv(results.resolve("results.csv"));
    for (String server : new String[] {OURS, GRPC}) {
      for (long calls : new long[] {1, 10}) {
        assertThat(csv.number(ScalingResults.CONCURRENCY, server, calls, ScalingResults.QPS))
            .as(server + " at " + calls + " calls").isPositive();
        assertThat(csv.number(ScalingResults.CONCURRENCY, server, calls, ScalingResults.P99))
            .isPositive();
      }
      for (long size : new long[] {10, 1024}) {
        assertThat(csv.number(ScalingResults.SIZE, server, size, ScalingResults.QPS))
            .as(server + " at " + size + " B").isPositive();
      }
      assertThat(csv.number(ScalingResults.MEMORY, server, 50, ScalingResults.CONNECTIONS_OPENED))
          .isEqualTo(50);
      assertThat(csv.number(ScalingResults.MEMORY, server, 50, ScalingResults.STREAMS_OPENED))
          .isEqualTo(50);
      // 50 HTTP/2 connections hold at least their channel pipelines: far more than GC noise.
      assertThat(csv.number(ScalingResults.MEMORY, server, 50,
          ScalingResults.HEAP_PER_CONNECTION)).as(server).isGreaterThan(500);
    }
    assertThat(csv.meta("command")).isEqualTo("scaling (test)");
    assertThat(csv.meta("load average before")).matches("[0-9.]+, [0-9.]+, [0-9.]+");

    for (String chart : new String[] {"concurrency-qps.svg", "concurrency-p99.svg",
        "size-qps.svg", "size-throughput.svg", "size-p99.svg"}) {
      String svg = Files.readString(results.resolve(chart));
      assertThat(svg).as(chart).startsWith("<svg").contains(">" + OURS + "</text>")
          .contains(">" + GRPC + "</text>");
      assertThat(count(svg, "<circle ")).as(chart).isEqualTo(4);
      assertThat(count(svg, "<polyline ")).as(chart).isEqualTo(2);
    }
    assertThat(Files.readString(results.resolve("memory-per-connection.svg")))
        .contains(">" + OURS + "</text>").contains(">" + GRPC + "</text>");
    String page = Files.readString(results.resolve("results.md"));
    assertThat(page).contains("![concurrency-qps.svg](concurrency-qps.svg)")
        .containsPattern("\\| 10 \\| 1 x 10 \\| [0-9.k]+/s, p50 ")
        .containsPattern("\\| 1 KiB \\| 1 x 10 \\| [0-9.k]+/s, p50 ")
        .containsPattern("\\| " + Pattern.quote(GRPC) + " \\| 50 \\| [0-9.]+ KiB \\| 50 \\|")
        .doesNotContain("failed");

    Path redrawn = dir.resolve("redrawn");
    assertThat(ChartCommand.run(Options.parse(
        new String[] {"--in=" + results, "--out=" + redrawn}, 0), out)).isZero();
    for (String file : new String[] {"concurrency-p99.svg", "size-qps.svg",
        "memory-per-stream.svg", "results.md"}) {
      assertThat(Files.readString(redrawn.resolve(file)))
          .isEqualTo(Files.readString(results.resolve(file)));
    }
  }

  @Test
  void refusesWhatItCannotSweep() {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> run(out, "--sizes=10,8m")).hasMessageContaining("4m");
    assertThatThrownBy(() -> run(out, "--sizes=ten")).hasMessageContaining("such as 10,1k,4m");
    assertThatThrownBy(() -> run(out, "--concurrency=0")).hasMessageContaining("positive");
    assertThatThrownBy(() -> run(out, "--client=vertx")).hasMessageContaining("ours or grpc-java");
    assertThatThrownBy(() -> run(out, "--sweeps=latency")).hasMessageContaining(
        "concurrency,size,memory");
    assertThatThrownBy(() -> run(out, "--mode=event-loop")).hasMessageContaining("default, pooled or");
    assertThatThrownBy(() -> run(out, "--call=bidi")).hasMessageContaining("unary or streaming");
    assertThatThrownBy(() -> run(out, "--peers=ours")).hasMessageContaining("ours always runs");
  }

  @Test
  void eachServerRunsInItsDefaultModeUnlessAsked() {
    assertThat(ScalingCommand.variant(Impl.ARMERIA, null).mode()).isEqualTo(ExecutorMode.DIRECT);
    assertThat(ScalingCommand.variant(Impl.OURS, null).mode()).isEqualTo(ExecutorMode.POOLED);
    assertThat(ScalingCommand.variant(Impl.GRPC_JAVA, null).mode())
        .isEqualTo(ExecutorMode.POOLED);
    assertThat(ScalingCommand.variant(Impl.ARMERIA, ExecutorMode.POOLED).mode())
        .isEqualTo(ExecutorMode.POOLED);
    assertThat(ScalingCommand.variant(Impl.VERTX, ExecutorMode.DIRECT).mode())
        .isEqualTo(ExecutorMode.EVENT_LOOP);
  }

  @Test
  void readsSizesWithBinaryUnits() {
    assertThat(ScalingCommand.sizes("10,1k,16K,1m,4m"))
        .containsExactly(10, 1024, 16 * 1024, 1024 * 1024, 4 * 1024 * 1024);
  }

  private static int run(PrintStream out, String option) throws Exception {
    return ScalingCommand.run(Options.parse(new String[] {option}, 0), out, "scaling");
  }

  private static int count(String text, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
