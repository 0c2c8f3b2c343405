package dev.grpcspring.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticAndUnixResolverTest {
  private static final ResolverBuildOptions OPTIONS = new ResolverBuildOptions(null, 443, false);
  private final RecordingResolverClientConn cc = new RecordingResolverClientConn();
  private final ResolverRegistry registry = ResolverRegistry.getDefaultRegistry();

  private ResolverState resolve(String target) throws InterruptedException {
    ResolverRegistry.ParsedTarget parsed = registry.parseTarget(target);
    parsed.builder().build(parsed.target(), cc, OPTIONS).close();
    return cc.nextState();
  }

  private static List<String> hostPorts(ResolverState state) {
    return state.addresses().stream()
        .map(a -> (InetSocketAddress) a.socketAddress())
        .map(a -> a.getHostString() + "/" + a.getPort())
        .toList();
  }

  @Test
  void staticReportsTheListInOrder() throws Exception {
    assertThat(hostPorts(resolve("static://10.0.0.1:1,10.0.0.2:2,[::1]:3,host4")))
        .containsExactly("10.0.0.1/1", "10.0.0.2/2", "::1/3", "host4/443");
    assertThat(hostPorts(resolve("static:///a:1,b:2"))).containsExactly("a/1", "b/2");
    assertThat(hostPorts(resolve("static:a:1"))).containsExactly("a/1");
    assertThat(registry.parseTarget("static://a:1,b:2").defaultAuthority()).isEqualTo("a:1");
    assertThat(((InetSocketAddress) resolve("static://a:1").addresses().get(0).socketAddress()).isUnresolved())
        .isTrue();
  }

  @Test
  void staticRejectsBadLists() {
    StaticResolverBuilder b = new StaticResolverBuilder();
    assertThatThrownBy(() -> b.build(Target.parse("static://a:1,,b:2"), cc, OPTIONS))
        .hasMessageContaining("empty entry");
    assertThatThrownBy(() -> b.build(Target.parse("static://a:1,b:x"), cc, OPTIONS))
        .hasMessageContaining("Bad static target")
        .hasMessageContaining("Invalid port 'x'");
    assertThatThrownBy(() -> b.build(Target.parse("static:///"), cc, OPTIONS)).hasMessageContaining("lists no addresses");
    assertThatThrownBy(() -> b.build(Target.parse("static://a:1/b:2"), cc, OPTIONS))
        .hasMessageContaining("both an authority and a path");
    assertThat(cc.events).isEmpty();
  }

  @Test
  void unixPathsRelativeAndAbsolute() throws Exception {
    assertThat(socketPath(resolve("unix:relative/grpc.sock"))).isEqualTo("relative/grpc.sock");
    assertThat(socketPath(resolve("unix:/abs/grpc.sock"))).isEqualTo("/abs/grpc.sock");
    assertThat(socketPath(resolve("unix:///abs/grpc.sock"))).isEqualTo("/abs/grpc.sock");
    assertThat(socketPath(resolve("unix-abstract:my-socket"))).isEqualTo("\0my-socket");
    assertThat(registry.parseTarget("unix:///abs/grpc.sock").defaultAuthority()).isEqualTo("localhost");
  }

  @Test
  void unixRejectsAnAuthorityAndEmptyPaths() {
    UnixResolverBuilder b = new UnixResolverBuilder();
    assertThatThrownBy(() -> b.build(Target.parse("unix://host/abs"), cc, OPTIONS))
        .hasMessageContaining("has an authority ('host')");
    assertThatThrownBy(() -> b.build(Target.parse("unix:"), cc, OPTIONS)).hasMessageContaining("names no socket");
    assertThat(cc.events).isEmpty();
  }

  private static String socketPath(ResolverState state) {
    assertThat(state.addresses()).hasSize(1);
    return ((DomainSocketAddress) state.addresses().get(0).socketAddress()).path();
  }
}
