package dev.grpcspring.client;

import static dev.grpcspring.client.JavaPeer.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.proxy.HttpConnectProxy;
import dev.grpcspring.proxy.NoProxyList;
import dev.grpcspring.proxy.ProxyDetector;
import dev.grpcspring.stub.ClientCalls;
import dev.grpcspring.testing.ConnectProxy;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Calls to grpc-java's server through an HTTP CONNECT proxy written in the test. The target's name
 * is known only to the proxy, so a call that succeeds proves the client sent it unresolved.
 */
@Timeout(60)
class HttpConnectProxyTest {
  private static final String NAME = "backend.proxy-test";

  @Test
  void aDialOptionProxyCarriesTheCallAndGetsTheUnresolvedName() throws Exception {
    try (JavaPeer peer = JavaPeer.start("p");
        ConnectProxy proxy = new ConnectProxy().map(NAME, peer.port());
        ClientConn cc = ClientConn.dial(NAME + ":" + peer.port(), ClientConnTest.fast()
            .proxy(HttpConnectProxy.parse(proxy.address())).build())) {
      assertThat(unary(cc, "through")).isEqualTo("through");
      assertThat(unary(cc, "again")).isEqualTo("again");
      assertThat(proxy.requestLines())
          .containsExactly("CONNECT " + NAME + ":" + peer.port() + " HTTP/1.1");
      assertThat(proxy.requests.get(0)).contains("\r\nHost: " + NAME + ":" + peer.port() + "\r\n")
          .doesNotContain("Proxy-Authorization");
    }
  }

  @Test
  void theEnvironmentsGrpcProxyCarriesTheCall() throws Exception {
    try (JavaPeer peer = JavaPeer.start("p");
        ConnectProxy proxy = new ConnectProxy().map(NAME, peer.port());
        ClientConn cc = ClientConn.dial(NAME + ":" + peer.port(), ClientConnTest.fast()
            .proxyDetector(ProxyDetector.fromEnvironment(Map.of(
                "grpc_proxy", "http://" + proxy.address(),
                "https_proxy", "http://127.0.0.1:1")::get))
            .build())) {
      assertThat(unary(cc, "env")).isEqualTo("env");
      assertThat(proxy.requestLines())
          .containsExactly("CONNECT " + NAME + ":" + peer.port() + " HTTP/1.1");
    }
  }

  @Test
  void noProxyInTheEnvironmentConnectsDirectly() throws Exception {
    try (JavaPeer peer = JavaPeer.start("p");
        ConnectProxy proxy = new ConnectProxy().map(NAME, peer.port());
        ClientConn cc = ClientConn.dial(NAME + ":" + peer.port(), ClientConnTest.fast()
            .proxyDetector(ProxyDetector.fromEnvironment(Map.of(
                "https_proxy", proxy.address(), "no_proxy", "example.com,.proxy-test")::get))
            .build())) {
      // Direct, the client itself must look the name up, which only the proxy knows.
      assertThatThrownBy(() -> unary(cc, "direct"))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
            assertThat(e.getMessage()).contains("Unable to resolve host " + NAME);
          });
      assertThat(proxy.requests).isEmpty();
    }
  }

  @Test
  void aNoProxyListBypassesAConfiguredProxyAndTheCallGoesDirect() throws Exception {
    try (JavaPeer peer = JavaPeer.start("p");
        ConnectProxy proxy = new ConnectProxy().refuse("HTTP/1.1 502 Bad Gateway");
        ClientConn cc = ClientConn.dial("127.0.0.1:" + peer.port(), ClientConnTest.fast()
            .proxyDetector(ProxyDetector.of(HttpConnectProxy.parse(proxy.address()),
                NoProxyList.parse("10.0.0.0/8, 127.0.0.0/8")))
            .build())) {
      assertThat(unary(cc, "direct")).isEqualTo("direct");
      assertThat(proxy.requests).isEmpty();
    }
  }

  @Test
  void aRefusingProxyFailsTheCallUnavailableNamingTheProxyAndItsAnswer() throws Exception {
    try (JavaPeer peer = JavaPeer.start("p");
        ConnectProxy proxy = new ConnectProxy().refuse("HTTP/1.1 502 Bad Gateway");
        ClientConn cc = ClientConn.dial(NAME + ":" + peer.port(), ClientConnTest.fast()
            .proxy(HttpConnectProxy.parse(proxy.address())).build())) {
      assertThatThrownBy(() -> unary(cc, "refused"))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
            assertThat(e.getMessage())
                .contains("HTTP CONNECT proxy http://" + proxy.address())
                .contains("for " + NAME + ":" + peer.port())
                .contains("refused the tunnel: HTTP/1.1 502 Bad Gateway");
          });
    }
  }

  @Test
  void proxyCredentialsFromTheUserInfoGoOutAsBasicAuthorization() throws Exception {
    String expected = "Basic " + Base64.getEncoder().encodeToString("al ice:p@ss:w".getBytes());
    try (JavaPeer peer = JavaPeer.start("p");
        ConnectProxy proxy = new ConnectProxy().map(NAME, peer.port())
            .requireAuthorization(expected);
        ClientConn withCredentials = ClientConn.dial(NAME + ":" + peer.port(), ClientConnTest.fast()
            .proxy(HttpConnectProxy.parse("http://al%20ice:p%40ss%3Aw@" + proxy.address()))
            .build());
        ClientConn without = ClientConn.dial(NAME + ":" + peer.port(), ClientConnTest.fast()
            .proxy(HttpConnectProxy.parse(proxy.address())).build())) {
      assertThat(unary(withCredentials, "authorized")).isEqualTo("authorized");
      assertThatThrownBy(() -> unary(without, "anonymous"))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
            assertThat(e.getMessage()).contains("407 Proxy Authentication Required")
                .contains("http://user:password@host:port");
          });
    }
  }

  @Test
  void anUnreachableProxyFailsTheCallUnavailableNamingTheProxy() throws Exception {
    int closed = ClientConnTest.closedPort();
    try (ClientConn cc = ClientConn.dial(NAME + ":443", ClientConnTest.fast()
        .proxy(HttpConnectProxy.parse("127.0.0.1:" + closed)).build())) {
      assertThatThrownBy(() -> unary(cc, "nowhere"))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
            assertThat(e.getMessage()).contains("HTTP CONNECT proxy at /127.0.0.1:" + closed)
                .contains(NAME + ":443");
          });
    }
  }

  private static String unary(ClientConn cc, String req) throws Exception {
    try {
      return ClientCalls.futureUnaryCall(cc.newCall(JavaPeer.UNARY, CallOptions.DEFAULT), sv(req))
          .get(20, TimeUnit.SECONDS).getValue();
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }
}
