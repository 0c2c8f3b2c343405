package dev.grpcspring.benchmarks.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuPinningTest {
  @Test
  void pinnedProcessesRunOnlyOnTheirCpus() throws Exception {
    assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs two CPUs");
    CpuPinning pinning = CpuPinning.parse("0", "1");
    List<String> probe = List.of("/bin/sh", "-c", "grep Cpus_allowed_list /proc/self/status");

    assertThat(allowedCpus(pinning.server(probe))).isEqualTo("0");
    assertThat(allowedCpus(pinning.client(probe))).isEqualTo("1");
    assertThat(pinning.describe()).isEqualTo("servers on CPUs 0, drivers on CPUs 1");
  }

  @Test
  void unpinnedCommandsRunAsGiven() {
    List<String> command = List.of("java", "-version");

    assertThat(CpuPinning.parse(null, null)).isSameAs(CpuPinning.NONE);
    assertThat(CpuPinning.NONE.server(command)).isSameAs(command);
    assertThat(CpuPinning.NONE.client(command)).isSameAs(command);
    assertThat(CpuPinning.NONE.describe()).isEqualTo("unpinned");
  }

  @Test
  void rejectsOneSidedOverlappingOrForeignCpuLists() {
    int cpus = Runtime.getRuntime().availableProcessors();

    assertThatThrownBy(() -> CpuPinning.parse("0", null)).hasMessageContaining("go together");
    assertThatThrownBy(() -> CpuPinning.parse("0", "0")).hasMessageContaining("overlap");
    assertThatThrownBy(() -> CpuPinning.parse("0", "one"))
        .hasMessageContaining("--client-cpus takes a CPU list");
    assertThatThrownBy(() -> CpuPinning.parse("0", String.valueOf(cpus)))
        .hasMessageContaining("names CPUs this machine lacks");
    assertThatThrownBy(() -> CpuPinning.parse("1-0", "0"))
        .hasMessageContaining("names CPUs this machine lacks");
  }

  private static String allowedCpus(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).as(out).isZero();
    return out.substring(out.indexOf(':') + 1).trim();
  }
}
