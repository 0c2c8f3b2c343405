package dev.grpcspring.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.ConnectivityState;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.credentials.TlsChannelCredentials;
import dev.grpcspring.credentials.TransportCredentials;
import dev.grpcspring.resolver.Address;
import dev.grpcspring.resolver.RecordingResolverClientConn;
import dev.grpcspring.resolver.Resolver;
import dev.grpcspring.resolver.ResolverBuildOptions;
import dev.grpcspring.resolver.Target;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The etcd client over TLS to a real etcd 3.4 started with {@code --cert-file --key-file
 * --trusted-ca-file --client-cert-auth} (certificates made at test time): resolver and
 * registration work, and a wrong CA or a missing client certificate shows as channel state.
 */
@Timeout(90)
class EtcdTlsTest {
  private static final EtcdTestPki PKI = EtcdTestPki.INSTANCE;

  @Test
  void resolverAndRegistrationWorkOverMutualTls() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.start(PKI.etcdTls(true));
        EtcdClient client = EtcdClient.newBuilder().endpoints(etcd.url())
            .transportCredentials(PKI.credentials(true)).build()) {
      assertThat(client.isSecure()).isTrue();
      assertThat(client.channel().transportCredentials().isSecure()).isTrue();
      try (NamedServer a = NamedServer.start("a", client, "tls/echo", Duration.ofSeconds(5));
          NamedServer b = NamedServer.start("b", client, "tls/echo", Duration.ofSeconds(5));
          ClientConn cc = ClientConn.dial("etcd:///tls/echo", DialOptions.newBuilder().insecure()
              .resolver(new EtcdResolverBuilder(client, "", Duration.ofSeconds(1)))
              .defaultServiceConfig(EtcdResolverTest.ROUND_ROBIN).build())) {
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (seen.size() < 2 && System.nanoTime() < deadline) {
          seen.add(call(cc));
        }
        assertThat(seen).containsExactlyInAnyOrder("a", "b");

        // Deregistration goes over TLS too: the key leaves etcd and the calls leave a.
        a.shutdownGracefully();
        assertThat(a.registration.isRegistered()).isFalse();
        for (int i = 0; i < 20; i++) {
          assertThat(call(cc)).isEqualTo("b");
        }
      }
    }
  }

  @Test
  void wrongCaOrMissingClientCertificateIsReportedAsChannelState() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (EtcdProcess etcd = EtcdProcess.start(PKI.etcdTls(true));
        EtcdClient wrongCa = EtcdClient.newBuilder().endpoints(etcd.url())
            .transportCredentials(TlsChannelCredentials.newBuilder()
                .trustManager(PKI.otherCa.getCertificate()).build()).build();
        EtcdClient noClientCert = EtcdClient.newBuilder().endpoints(etcd.url())
            .transportCredentials(PKI.credentials(false)).build()) {
      RecordingResolverClientConn recorded = new RecordingResolverClientConn();
      Resolver r = new EtcdResolverBuilder(wrongCa, "", Duration.ofSeconds(1))
          .build(Target.parse("etcd:///tls/echo"), recorded,
              new ResolverBuildOptions(scheduler, 443, false));
      Status error = recorded.nextError();
      r.close();
      assertThat(error.getCode()).isEqualTo(Code.UNAVAILABLE);
      assertThat(error.getDescription()).contains("listing the prefix failed")
          .contains("TLS handshake with 127.0.0.1").contains("certification path");

      // On an application channel: TRANSIENT_FAILURE, and calls fail saying why.
      try (ClientConn cc = ClientConn.dial("etcd:///tls/echo", DialOptions.newBuilder().insecure()
          .resolver(new EtcdResolverBuilder(wrongCa, "", Duration.ofSeconds(1))).build())) {
        StatusException e = catchThrowableOfType(StatusException.class, () -> call(cc));
        assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
        assertThat(e.getStatus().getDescription()).contains("TLS handshake");
        // The state is published through the channel's serializer, so it may trail the failed
        // call by a moment: wait for it to leave IDLE (the state before any resolution).
        ConnectivityState state = cc.getState(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (state == ConnectivityState.IDLE && System.nanoTime() < deadline) {
          cc.awaitStateChange(state, Duration.ofMillis(100));
          state = cc.getState(false);
        }
        assertThat(state).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
      }

      // etcd refuses a client without a certificate during the handshake.
      RecordingResolverClientConn refused = new RecordingResolverClientConn();
      Resolver r2 = new EtcdResolverBuilder(noClientCert, "", Duration.ofSeconds(1))
          .build(Target.parse("etcd:///tls/echo"), refused,
              new ResolverBuildOptions(scheduler, 443, false));
      Status refusal = refused.nextError();
      r2.close();
      assertThat(refusal.getCode()).isEqualTo(Code.UNAVAILABLE);
      assertThat(refusal.getDescription()).contains("listing the prefix failed")
          .containsIgnoringCase("bad_certificate");
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void endpointSchemesMustAgreeWithTheCredentials() {
    TransportCredentials tls = PKI.credentials(false);
    assertThatThrownBy(() -> EtcdClient.newBuilder().endpoints("http://127.0.0.1:2379")
        .transportCredentials(tls).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("say http, but TLS");
    assertThatThrownBy(() -> EtcdClient.newBuilder().endpoints("https://127.0.0.1:2379")
        .transportCredentials(TransportCredentials.insecure()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("say https");
    assertThatThrownBy(() -> EtcdClient.newBuilder()
        .endpoints("http://127.0.0.1:2379", "https://127.0.0.1:2380").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the same way");
    try (EtcdClient jdkTrust = EtcdClient.newBuilder().endpoints("https://127.0.0.1:2379").build();
        EtcdClient plain = EtcdClient.newBuilder().endpoints("127.0.0.1:2379").build()) {
      assertThat(jdkTrust.isSecure()).isTrue();
      assertThat(plain.isSecure()).isFalse();
    }
  }

  @Test
  void eachMemberIsDialledWithItsOwnHostAsAuthority() throws Exception {
    RecordingResolverClientConn recorded = new RecordingResolverClientConn();
    EtcdMembersResolverBuilder members =
        new EtcdMembersResolverBuilder(List.of("etcd-a.test:2379", "10.0.0.2:2379"));
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      members.build(Target.parse(members.target()), recorded,
          new ResolverBuildOptions(scheduler, 443, false)).close();
    } finally {
      scheduler.shutdownNow();
    }
    assertThat(recorded.nextState().addresses())
        .extracting(Address::authority)
        .containsExactly("etcd-a.test:2379", "10.0.0.2:2379");
    assertThat(members.defaultAuthority(Target.parse(members.target()))).isEqualTo("etcd-a.test:2379");
  }

  private static String call(ClientConn cc) {
    return cc.invoke(NamedServer.UNARY, StringValue.of(""),
        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)).getValue();
  }
}
