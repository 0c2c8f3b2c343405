package dev.grpcspring.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.inprocess.InProcessSocketAddress;
import org.junit.jupiter.api.Test;

class InProcessResolverTest {
  private static final ResolverBuildOptions OPTIONS = new ResolverBuildOptions(null, 443, false);
  private final RecordingResolverClientConn cc = new RecordingResolverClientConn();
  private final ResolverRegistry registry = ResolverRegistry.getDefaultRegistry();

  private Object resolve(String target) throws InterruptedException {
    ResolverRegistry.ParsedTarget parsed = registry.parseTarget(target);
    parsed.builder().build(parsed.target(), cc, OPTIONS).close();
    return cc.nextState().addresses().get(0).socketAddress();
  }

  @Test
  void inProcessSchemeIsRegisteredByDefaultAndNamesTheServer() throws Exception {
    assertThat(resolve("in-process:orders")).isEqualTo(new InProcessSocketAddress("orders"));
    assertThat(resolve("in-process:///orders")).isEqualTo(new InProcessSocketAddress("orders"));
    assertThat(registry.parseTarget("in-process:orders").defaultAuthority()).isEqualTo("localhost");
  }

  @Test
  void rejectsTargetsThatNameNoServer() {
    InProcessResolverBuilder b = new InProcessResolverBuilder();
    assertThatThrownBy(() -> b.build(Target.parse("in-process://host/orders"), cc, OPTIONS))
        .hasMessageContaining("has an authority");
    assertThatThrownBy(() -> b.build(Target.parse("in-process:///"), cc, OPTIONS))
        .hasMessageContaining("names no server");
  }
}
