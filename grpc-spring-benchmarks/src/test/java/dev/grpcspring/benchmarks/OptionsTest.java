package dev.grpcspring.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsTest {
  @Test
  void readsDurationsInEveryUnitAndFormatsThemBack() {
    Options o = Options.parse(new String[] {"x", "--a=15s", "--b=500ms", "--c=2m", "--d=3"}, 1);

    assertThat(o.duration("a", null)).isEqualTo(Duration.ofSeconds(15));
    assertThat(o.duration("b", null)).isEqualTo(Duration.ofMillis(500));
    assertThat(o.duration("c", null)).isEqualTo(Duration.ofMinutes(2));
    assertThat(o.duration("d", null)).isEqualTo(Duration.ofSeconds(3));
    assertThat(Options.format(Duration.ofSeconds(15))).isEqualTo("15s");
    assertThat(Options.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }

  @Test
  void anOptionNobodyReadIsAnError() {
    Options o = Options.parse(new String[] {"--scenario=all", "--duraton=5s"}, 0);
    o.string("scenario", null);

    assertThatThrownBy(o::checkAllUsed).hasMessageContaining("--duraton");
  }

  @Test
  void aBadDurationSaysWhatIsExpected() {
    Options o = Options.parse(new String[] {"--warmup=soon"}, 0);

    assertThatThrownBy(() -> o.duration("warmup", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("15s");
  }

  @Test
  void scenariosParseByNameOrAll() {
    assertThat(Scenario.parseList("all")).containsExactly(Scenario.values());
    assertThat(Scenario.parseList("unary-latency,large-payload"))
        .containsExactly(Scenario.UNARY_LATENCY, Scenario.LARGE_PAYLOAD);
    assertThatThrownBy(() -> Scenario.parseList("fast")).hasMessageContaining("unary-latency");
  }
}
