package dev.grpcspring.client;

import static dev.grpcspring.client.JavaPeer.sv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.protocol.GrpcTimeout;
import dev.grpcspring.resolver.ResolverState;
import dev.grpcspring.stub.ClientCalls;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Balancing policies and method configs chosen by service config. */
class LoadBalancingTest {
  static final String ROUND_ROBIN = "{\"loadBalancingConfig\": [{\"round_robin\": {}}]}";

  @Test
  void roundRobinSpreadsCallsEvenlyAndSurvivesAServerStopping() throws Exception {
    JavaPeer a = JavaPeer.start("a");
    JavaPeer b = JavaPeer.start("b");
    JavaPeer c = JavaPeer.start("c");
    try {
      ManualResolver r = new ManualResolver(a.port(), b.port(), c.port());
      try (ClientConn cc = ClientConn.dial(r.target(),
          ClientConnTest.fast().resolver(r).defaultServiceConfig(ROUND_ROBIN).build())) {
        // Wait until all three are connected, so the spread is over three.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Map<String, Integer> warm = new HashMap<>();
        while (warm.size() < 3 && System.nanoTime() < deadline) {
          warm.merge(cc.invoke(JavaPeer.UNARY, sv(""), CallOptions.DEFAULT).getValue(), 1, Integer::sum);
        }
        assertThat(warm).hasSize(3);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 300; i++) {
          counts.merge(cc.invoke(JavaPeer.UNARY, sv(""), CallOptions.DEFAULT).getValue(), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("a", "b", "c");
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(95, 105));

        c.close();
        List<CompletableFuture<StringValue>> after = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          after.add(ClientCalls.futureUnaryCall(cc.newCall(JavaPeer.UNARY, CallOptions.DEFAULT), sv("")));
        }
        Map<String, Integer> later = new HashMap<>();
        for (CompletableFuture<StringValue> f : after) {
          later.merge(f.get(5, TimeUnit.SECONDS).getValue(), 1, Integer::sum);
        }
        assertThat(later).containsOnlyKeys("a", "b");
      }
    } finally {
      a.close();
      b.close();
      c.close();
    }
  }

  @Test
  void resolverServiceConfigSwitchesPolicyGracefully() throws Exception {
    try (JavaPeer a = JavaPeer.start("a"); JavaPeer b = JavaPeer.start("b")) {
      ManualResolver r = new ManualResolver(a.port(), b.port());
      try (ClientConn cc = ClientConn.dial(r.target(), ClientConnTest.fast().resolver(r).build())) {
        for (int i = 0; i < 10; i++) {
          assertThat(cc.invoke(JavaPeer.UNARY, sv(""), CallOptions.DEFAULT).getValue()).isEqualTo("a");
        }
        r.update(new ResolverState(ManualResolver.addresses(a.port(), b.port()), ROUND_ROBIN, null));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        boolean sawB = false;
        while (!sawB && System.nanoTime() < deadline) {
          sawB = cc.invoke(JavaPeer.UNARY, sv(""), CallOptions.DEFAULT).getValue().equals("b");
        }
        assertThat(sawB).isTrue();
      }
    }
  }

  @Test
  void methodConfigTimeoutAndWaitForReady() throws Exception {
    String config = "{\"methodConfig\": [{\"name\": [{\"service\": \"test.Echo\"}],"
        + " \"timeout\": \"2s\", \"waitForReady\": true}]}";
    try (JavaPeer peer = JavaPeer.start("p");
        ClientConn cc = ClientConn.dial(peer.target(),
            ClientConnTest.fast().defaultServiceConfig(config).build())) {
      assertThat(cc.methodConfig("test.Echo/Unary").timeout()).hasMillis(2000);
      assertThat(cc.invoke(JavaPeer.UNARY, sv("x"), CallOptions.DEFAULT).getValue()).isEqualTo("x");
      long nanos = GrpcTimeout.decode(peer.seenHeaders.poll(5, TimeUnit.SECONDS)
          .get(ClientCallTest.key("grpc-timeout")));
      assertThat(nanos).isBetween(TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.MILLISECONDS.toNanos(2000));
      assertThatThrownBy(() -> cc.invoke(JavaPeer.UNARY, sv("sleep:4000"), CallOptions.DEFAULT))
          .isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.DEADLINE_EXCEEDED));
    }
  }

  @Test
  void invalidDefaultServiceConfigFailsTheDial() {
    assertThatThrownBy(() -> ClientConn.dial("127.0.0.1:1",
            ClientConnTest.fast().defaultServiceConfig("{\"methodConfig\": 5}").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("default service config");
  }

  @Test
  void resolversMethodConfigAppliesToTheFirstCallOfAnIdleChannel() throws Exception {
    String config = "{\"methodConfig\": [{\"name\": [{}], \"timeout\": \"2s\"}]}";
    try (JavaPeer peer = JavaPeer.start("p")) {
      ManualResolver r = new ManualResolver();
      r.update(new ResolverState(ManualResolver.addresses(peer.port()), config, null));
      try (ClientConn cc = ClientConn.dial(r.target(), ClientConnTest.fast().resolver(r).build())) {
        // The call starts before the channel has resolved, so the config arrives after it.
        assertThat(cc.invoke(JavaPeer.UNARY, sv("x"), CallOptions.DEFAULT).getValue()).isEqualTo("x");
        String timeout = peer.seenHeaders.poll(5, TimeUnit.SECONDS).get(ClientCallTest.key("grpc-timeout"));
        assertThat(timeout).isNotNull();
        assertThat(GrpcTimeout.decode(timeout)).isBetween(TimeUnit.MILLISECONDS.toNanos(200),
            TimeUnit.SECONDS.toNanos(2));
      }
    }
  }
}
