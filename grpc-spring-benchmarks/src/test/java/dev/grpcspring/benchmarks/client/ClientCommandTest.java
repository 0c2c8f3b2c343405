package dev.grpcspring.benchmarks.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.benchmarks.LoadShape;
import dev.grpcspring.benchmarks.Options;
import org.junit.jupiter.api.Test;

class ClientCommandTest {
  @Test
  void aScenarioIsItsOwnLoadUnlessAnOptionChangesIt() {
    assertThat(ClientCommand.loadShape(options("--scenario=unary-throughput")))
        .isEqualTo(new LoadShape("unary-throughput", 4, 100, 100, false));
    assertThat(ClientCommand.loadShape(options("--scenario=unary-throughput", "--channels=2",
            "--call=streaming")))
        .isEqualTo(new LoadShape("streaming-2x100-100B", 2, 100, 100, true));
  }

  @Test
  void withoutAScenarioEveryLoadOptionIsNeeded() {
    assertThat(ClientCommand.loadShape(options("--channels=100", "--outstanding=100",
            "--payload=10")))
        .isEqualTo(new LoadShape("unary-100x100-10B", 100, 100, 10, false));
    assertThatThrownBy(() -> ClientCommand.loadShape(options("--channels=1", "--payload=10")))
        .hasMessageContaining("--outstanding");
    assertThatThrownBy(() -> ClientCommand.loadShape(options("--scenario=unary-latency",
            "--call=bidi")))
        .hasMessageContaining("unary or streaming");
    assertThatThrownBy(() -> ClientCommand.loadShape(options("--channels=0", "--outstanding=1",
            "--payload=10")))
        .hasMessageContaining("at least 1 channel");
  }

  private static Options options(String... args) {
    return Options.parse(args, 0);
  }
}
