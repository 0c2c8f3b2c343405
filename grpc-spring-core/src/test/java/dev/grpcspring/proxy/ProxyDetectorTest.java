package dev.grpcspring.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyDetectorTest {
  private static InetSocketAddress target(String host, int port) {
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Test
  void grpcProxyWinsOverHttpsProxyAndNoGrpcProxyOverNoProxy() {
    ProxyDetector d = ProxyDetector.fromEnvironment(Map.of(
        "grpc_proxy", "http://grpc-proxy:3128", "https_proxy", "other:8080",
        "no_grpc_proxy", "a.example", "no_proxy", "b.example")::get);
    assertThat(d.proxyFor(target("svc.example", 443)))
        .isEqualTo(HttpConnectProxy.of(target("grpc-proxy", 3128)));
    assertThat(d.proxyFor(target("a.example", 443))).isNull();
    assertThat(d.proxyFor(target("b.example", 443))).isNotNull();
  }

  @Test
  void upperCaseHttpsProxyIsReadAndLoopbackNeverGoesThroughTheEnvironmentsProxy() {
    ProxyDetector d = ProxyDetector.fromEnvironment(Map.of("HTTPS_PROXY", "proxy")::get);
    assertThat(d.proxyFor(target("svc", 443)).address()).isEqualTo(target("proxy", 80));
    assertThat(d.proxyFor(target("localhost", 443))).isNull();
    assertThat(d.proxyFor(target("127.0.0.2", 443))).isNull();
    assertThat(d.proxyFor(target("::1", 443))).isNull();
    assertThat(ProxyDetector.fromEnvironment(Map.<String, String>of()::get)
        .proxyFor(target("svc", 443))).isNull();
  }

  @Test
  void noProxyEntriesMatchAsGoDoes() {
    NoProxyList l = NoProxyList.parse(" example.com, .sub.org,*.wild.net, 10.0.0.0/8, 192.168.1.7,"
        + " pinned.io:8443, [2001:db8::1]:443 ");
    assertThat(l.matches("example.com", 1)).isTrue();
    assertThat(l.matches("API.Example.com", 1)).isTrue();
    assertThat(l.matches("notexample.com", 1)).isFalse();
    assertThat(l.matches("sub.org", 1)).isFalse();
    assertThat(l.matches("a.sub.org", 1)).isTrue();
    assertThat(l.matches("x.wild.net", 1)).isTrue();
    assertThat(l.matches("wild.net", 1)).isFalse();
    assertThat(l.matches("10.1.2.3", 1)).isTrue();
    assertThat(l.matches("11.1.2.3", 1)).isFalse();
    assertThat(l.matches("192.168.1.7", 1)).isTrue();
    assertThat(l.matches("pinned.io", 8443)).isTrue();
    assertThat(l.matches("pinned.io", 443)).isFalse();
    assertThat(l.matches("2001:db8::1", 443)).isTrue();
    assertThat(l.matches("[2001:db8::1]", 80)).isFalse();
    assertThat(NoProxyList.parse("*").matches("anything", 1)).isTrue();
    assertThat(NoProxyList.parse(null).matches("anything", 1)).isFalse();
  }

  @Test
  void badValuesAreRejectedNamingTheVariable() {
    assertThatThrownBy(() -> ProxyDetector.fromEnvironment(
        Map.of("https_proxy", "socks5://p:1080")::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https_proxy").hasMessageContaining("only HTTP CONNECT proxies");
    assertThatThrownBy(() -> ProxyDetector.fromEnvironment(
        Map.of("https_proxy", "p:3128", "no_proxy", "10.0.0.0/99")::get))
        .hasMessageContaining("no_proxy").hasMessageContaining("CIDR");
    assertThatThrownBy(() -> HttpConnectProxy.parse("http://p:3128/path"))
        .hasMessageContaining("path");
    assertThatThrownBy(() -> HttpConnectProxy.parse("p:0")).hasMessageContaining("port 0");
  }

  @Test
  void credentialsComeFromTheUserInfoAndStayOutOfToString() {
    HttpConnectProxy p = HttpConnectProxy.parse("http://u%3A1:s%20cret@[::1]:3128/");
    assertThat(p.username()).isEqualTo("u:1");
    assertThat(p.password()).isEqualTo("s cret");
    assertThat(p.authorization()).isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("u:1:s cret".getBytes()));
    assertThat(p.toString()).isEqualTo("http://[::1]:3128").doesNotContain("cret");
    assertThat(HttpConnectProxy.parse("p:3128").authorization()).isNull();
  }
}
