package dev.grpcspring.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.grpcspring.benchmarks.Scenario;
import dev.grpcspring.benchmarks.proto.BenchmarkMessages.SimpleRequest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class H2loadRunTest {
  @Test
  void readsRateRequestsAndMeanLatencyFromTheSummary() {
    H2loadRun.Parsed parsed = new H2loadRun.Parsed();
    for (String line :
        new String[] {
          "finished in 20.00s, 58413.20 req/s, 10.01MB/s",
          "requests: 1168264 total, 1168364 started, 1168264 done, 1168260 succeeded, 4 failed,"
              + " 4 errored, 0 timeout",
          "status codes: 1168260 2xx, 0 3xx, 0 4xx, 0 5xx",
          "                     min         max         mean         sd        +/- sd",
          "time for request:      61us     23.49ms      6.80ms      1.31ms    89.03%",
        }) {
      parsed.accept(line);
    }

    assertThat(parsed.qps).isEqualTo(58413.20);
    assertThat(parsed.succeeded).isEqualTo(1168260);
    assertThat(parsed.failed).isEqualTo(4);
    assertThat(parsed.errored).isEqualTo(4);
    assertThat(parsed.meanMicros).isEqualTo(6800.0);
  }

  @Test
  void readsEveryTimeUnitAndRejectsOthers() {
    assertThat(H2loadRun.micros("812us")).isEqualTo(812.0);
    assertThat(H2loadRun.micros("1.5ms")).isEqualTo(1500.0);
    assertThat(H2loadRun.micros("2.05s")).isCloseTo(2_050_000.0, within(0.01));
    assertThatThrownBy(() -> H2loadRun.micros("3min")).hasMessageContaining("3min");
  }

  @Test
  void theRequestBodyIsOneGrpcFramedSimpleRequestAskingForTheScenariosPayload()
      throws Exception {
    byte[] body = H2loadRun.requestBody(Scenario.UNARY_THROUGHPUT);

    ByteBuffer buf = ByteBuffer.wrap(body);
    assertThat(buf.get()).as("compressed flag").isZero();
    int length = buf.getInt();
    assertThat(length).isEqualTo(body.length - 5);
    SimpleRequest request = SimpleRequest.parseFrom(Arrays.copyOfRange(body, 5, body.length));
    assertThat(request.getResponseSize()).isEqualTo(100);
    assertThat(request.getPayload().getBody().size()).isEqualTo(100);
  }
}
