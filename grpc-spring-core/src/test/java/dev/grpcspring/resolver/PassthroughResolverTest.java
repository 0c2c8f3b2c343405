package dev.grpcspring.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PassthroughResolverTest {
  private static final ResolverBuildOptions OPTIONS = new ResolverBuildOptions(null, 443, false);

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "localhost:50051, localhost, 50051",
    "127.0.0.1:1, 127.0.0.1, 1",
    "[::1]:50051, ::1, 50051",
    "[fe80::1%25eth0]:80, fe80::1%eth0, 80",
    "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8, 443",
    "::1, ::1, 443",
    "example.com, example.com, 443",
    "example.com:, example.com, 443",
    ":8080, localhost, 8080",
  })
  void reportsOneUnresolvedAddressOnce(String endpoint, String host, int port) throws Exception {
    RecordingResolverClientConn cc = new RecordingResolverClientConn();
    ResolverRegistry.ParsedTarget parsed = ResolverRegistry.getDefaultRegistry().parseTarget(endpoint);
    Resolver resolver = parsed.builder().build(parsed.target(), cc, OPTIONS);

    ResolverState state = cc.nextState();
    assertThat(state.addresses()).hasSize(1);
    InetSocketAddress address = (InetSocketAddress) state.addresses().get(0).socketAddress();
    assertThat(address.isUnresolved()).isTrue();
    assertThat(address.getHostString()).isEqualTo(host);
    assertThat(address.getPort()).isEqualTo(port);

    resolver.resolveNow();
    resolver.close();
    assertThat(cc.events).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"host:99999", "host:abc", "[::1", "[::1]x", "a:b:c", "[host]:1"})
  void malformedEndpointsFailAtBuildNamingTheTarget(String endpoint) {
    RecordingResolverClientConn cc = new RecordingResolverClientConn();
    Target target = Target.parse("passthrough:///" + endpoint);
    assertThatThrownBy(() -> new PassthroughResolverBuilder().build(target, cc, OPTIONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Bad passthrough target")
        .hasMessageContaining(endpoint);
    assertThat(cc.events).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"passthrough:///", "passthrough:"})
  void anEmptyEndpointFails(String target) {
    assertThatThrownBy(
            () -> new PassthroughResolverBuilder()
                .build(Target.parse(target), new RecordingResolverClientConn(), OPTIONS))
        .hasMessageContaining("has no endpoint");
  }
}
