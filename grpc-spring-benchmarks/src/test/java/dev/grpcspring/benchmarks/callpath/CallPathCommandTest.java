package dev.grpcspring.benchmarks.callpath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.benchmarks.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Traces one real call in a child JVM (about 5 s) and checks the report's shape. */
class CallPathCommandTest {
  @Test
  void tracesTheCallFromTheStubToTheTransport() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int rc = CallPathCommand.run(Options.parse(new String[0], 0),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(rc).isZero();
    String layers = out.lines().filter(l -> l.startsWith("layers: ")).findFirst().orElseThrow();
    assertThat(layers).startsWith("layers: stub -> client").endsWith("-> transport")
        .contains("balancer").contains("protocol");
    int crossings = Integer.parseInt(out.lines()
        .filter(l -> l.startsWith("package crossings without the root package: ")).findFirst()
        .orElseThrow().replaceAll("\\D", ""));
    assertThat(crossings).isEqualTo(layers.split(" -> ").length - 1);
    // The way out reads top-down: each layer first entered after the one above it, and no call
    // goes back into a package already on the stack or up a layer.
    assertThat(out).contains(
        "layers in order of first entry: stub -> client -> balancer -> protocol -> transport\n");
    assertThat(out).contains("returns to a package already on the stack, or calls up a layer: 0\n");
  }
}
