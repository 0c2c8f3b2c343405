package dev.grpcspring.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.grpcspring.Code;
import dev.grpcspring.Status;
import dev.grpcspring.etcd.v3.PutRequest;
import dev.grpcspring.resolver.RecordingResolverClientConn;
import dev.grpcspring.resolver.Resolver;
import dev.grpcspring.resolver.ResolverBuildOptions;
import dev.grpcspring.resolver.Target;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** User/password authentication against an etcd with auth enabled (set up with etcdctl). */
@Timeout(60)
class EtcdAuthTest {
  @Test
  void theResolverAuthenticatesAndWithoutCredentialsReportsTheRefusal() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (EtcdProcess etcd = EtcdProcess.start()) {
      etcdctl(etcd, "user", "add", "root:s3cret");
      etcdctl(etcd, "auth", "enable");
      try (EtcdClient authed = EtcdClient.newBuilder().endpoints(etcd.endpoint())
              .credentials("root", "s3cret").build();
          EtcdClient anonymous = EtcdClient.newBuilder().endpoints(etcd.endpoint()).build()) {
        authed.kvFuture().put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("svc/a/1"))
            .setValue(ByteString.copyFromUtf8("{\"Addr\":\"10.0.0.1:1\"}")).build()).get(10, TimeUnit.SECONDS);

        RecordingResolverClientConn ok = new RecordingResolverClientConn();
        Resolver r1 = new EtcdResolverBuilder(authed).build(Target.parse("etcd:///svc/a"), ok,
            new ResolverBuildOptions(scheduler, 443, false));
        assertThat(RecordingResolverClientConn.hostPorts(ok.nextState())).containsExactly("10.0.0.1:1");
        r1.close();

        RecordingResolverClientConn refused = new RecordingResolverClientConn();
        Resolver r2 = new EtcdResolverBuilder(anonymous, "", Duration.ofSeconds(1))
            .build(Target.parse("etcd:///svc/a"), refused, new ResolverBuildOptions(scheduler, 443, false));
        Status error = refused.nextError();
        assertThat(error.getCode()).isEqualTo(Code.UNAVAILABLE);
        assertThat(error.getDescription()).contains("listing the prefix failed").contains("INVALID_ARGUMENT");
        r2.close();
      }
    } finally {
      scheduler.shutdownNow();
    }
  }

  private static void etcdctl(EtcdProcess etcd, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("etcdctl", "--endpoints=" + etcd.endpoint()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("ETCDCTL_API", "3");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("etcdctl " + String.join(" ", args) + " failed: " + out);
    }
  }
}
