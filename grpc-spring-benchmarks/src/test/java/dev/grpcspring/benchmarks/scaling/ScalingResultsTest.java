package dev.grpcspring.benchmarks.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScalingResultsTest {
  @Test
  void aCsvReadsBackAsWritten(@TempDir Path dir) throws Exception {
    ScalingResults results = new ScalingResults();
    results.meta("command", "java -jar x.jar scaling --sizes=10,1k");
    results.put(ScalingResults.SIZE, "ours (pooled)", 1024, ScalingResults.QPS, 1234.5);
    results.put(ScalingResults.SIZE, "ours (pooled)", 10, ScalingResults.QPS, 2000);
    results.error(ScalingResults.SIZE, "vertx (event-loop)", 10,
        "calls failed, first: \"RESOURCE_EXHAUSTED\", message too large");
    Path csv = dir.resolve("results.csv");
    results.writeCsv(csv);

    ScalingResults read = ScalingResults.readCsv(csv);

    assertThat(read.rows()).isEqualTo(results.rows());
    assertThat(read.meta("command")).isEqualTo("java -jar x.jar scaling --sizes=10,1k");
    assertThat(read.number(ScalingResults.SIZE, "ours (pooled)", 1024, ScalingResults.QPS))
        .isEqualTo(1234.5);
    assertThat(read.number(ScalingResults.SIZE, "vertx (event-loop)", 10, ScalingResults.QPS))
        .isNaN();
    assertThat(read.errorAt(ScalingResults.SIZE, "vertx (event-loop)", 10))
        .isEqualTo("calls failed, first: \"RESOURCE_EXHAUSTED\", message too large");
    assertThat(read.xs(ScalingResults.SIZE)).containsExactly(10L, 1024L);
    assertThat(read.servers(ScalingResults.SIZE))
        .containsExactly("ours (pooled)", "vertx (event-loop)");
  }

  @Test
  void serversKeepTheOrderOfTheirFirstRowWhicheverSweepRanThemFirst() {
    ScalingResults results = new ScalingResults();
    results.put(ScalingResults.CONCURRENCY, "ours", 1, ScalingResults.QPS, 1);
    results.put(ScalingResults.CONCURRENCY, "grpc-java", 1, ScalingResults.QPS, 1);
    results.put(ScalingResults.SIZE, "grpc-java", 10, ScalingResults.QPS, 1);
    results.put(ScalingResults.SIZE, "ours", 10, ScalingResults.QPS, 1);
    results.put(ScalingResults.MEMORY, "grpc-java", 50, ScalingResults.HEAP_PER_STREAM, 1);

    assertThat(results.servers(ScalingResults.SIZE)).containsExactly("ours", "grpc-java");
    assertThat(results.servers(ScalingResults.MEMORY)).containsExactly("grpc-java");
  }

  @Test
  void aFileOfSomethingElseIsRefused(@TempDir Path dir) throws Exception {
    Path other = Files.writeString(dir.resolve("other.csv"), "a,b\n1,2\n");
    assertThatThrownBy(() -> ScalingResults.readCsv(other))
        .hasMessageContaining("sweep,server,x,metric,value");
  }
}
