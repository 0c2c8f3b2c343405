package dev.grpcspring.benchmarks.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.benchmarks.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A few seconds of {@code soak} and {@code chaos}: they run, report, and find nothing wrong. */
class ResilienceCommandsSmokeTest {

  @Test
  @Timeout(120)
  void soakRunsItsStreamsAndCallsAndReportsSamplesAndASlope() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = SoakCommand.run(Options.parse(new String[] {"--streams=50", "--calls=4",
        "--messages-per-stream=20", "--duration=4s", "--sample=1s"}, 0),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isZero();
    assertThat(out).contains("heap-after-gc").contains("soak heap after GC").contains("slope")
        .contains("failed calls 0");
    assertThat(number(out, "streams completed (\\d+)")).isPositive();
    assertThat(number(out, "unary calls ok (\\d+)")).isPositive();
  }

  @Test
  @Timeout(120)
  void chaosStrikesEveryFaultAndNoCallHangsOrIsLost() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = ChaosCommand.run(Options.parse(new String[] {"--concurrency=8", "--deadline=1s",
        "--fault-every=1500ms", "--stall=1s", "--duration=9s"}, 0),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isZero();
    for (String fault : List.of("kill", "goaway", "reset", "stall", "cancel")) {
      assertThat(out).as(out).contains(fault + "=1");
    }
    assertThat(out).contains("lost 0, duplicated 0, late 0, hung 0");
    assertThat(number(out, "OK=(\\d+)")).isPositive();
  }

  private static long number(String out, String regex) {
    Matcher m = Pattern.compile(regex).matcher(out);
    assertThat(m.find()).as("%s in %s", regex, out).isTrue();
    return Long.parseLong(m.group(1));
  }
}
