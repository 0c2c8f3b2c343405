package dev.grpcspring.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.StringValue;
import dev.grpcspring.CallOptions;
import dev.grpcspring.Code;
import dev.grpcspring.Status;
import dev.grpcspring.StatusException;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import dev.grpcspring.etcd.v3.CompactionRequest;
import dev.grpcspring.etcd.v3.DeleteRangeRequest;
import dev.grpcspring.etcd.v3.PutRequest;
import dev.grpcspring.etcd.v3.PutResponse;
import dev.grpcspring.etcd.v3.RangeRequest;
import dev.grpcspring.resolver.RecordingResolverClientConn;
import dev.grpcspring.resolver.Resolver;
import dev.grpcspring.resolver.ResolverBuildOptions;
import dev.grpcspring.resolver.ResolverState;
import dev.grpcspring.resolver.Target;
import dev.grpcspring.stub.ClientCalls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The etcd resolver and registration against a real etcd 3.4 (grpc-go's server) on loopback. */
@Timeout(120)
class EtcdResolverTest {
  static final String ROUND_ROBIN = "{\"loadBalancingConfig\": [{\"round_robin\": {}}]}";
  private static final AtomicInteger services = new AtomicInteger();

  static EtcdProcess etcd;
  static EtcdClient client;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private ScheduledExecutorService scheduler;
  private String service;

  @BeforeAll
  static void startEtcd() throws Exception {
    etcd = EtcdProcess.start();
    client = EtcdClient.newBuilder().endpoints(etcd.endpoint()).build();
  }

  @AfterAll
  static void stopEtcd() throws Exception {
    if (client != null) {
      client.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  @BeforeEach
  void setUp() {
    scheduler = Executors.newSingleThreadScheduledExecutor();
    service = "svc/echo" + services.incrementAndGet();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    scheduler.shutdownNow();
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    toClose.add(c);
    return c;
  }

  private NamedServer server(String name, EtcdClient etcdClient, Duration ttl) throws Exception {
    return closeLater(NamedServer.start(name, etcdClient, service, ttl));
  }

  private ClientConn dial(EtcdClient etcdClient) {
    return closeLater(ClientConn.dial("etcd:///" + service, DialOptions.newBuilder().insecure()
        .connectBackoff(Duration.ofMillis(100), 1.6, 0.2, Duration.ofMillis(300))
        .resolver(new EtcdResolverBuilder(etcdClient, "", Duration.ofSeconds(1)))
        .defaultServiceConfig(ROUND_ROBIN)
        .build()));
  }

  private Resolver resolve(EtcdClient etcdClient, String target, RecordingResolverClientConn conn) {
    Resolver r = new EtcdResolverBuilder(etcdClient, "", Duration.ofMillis(500))
        .build(Target.parse(target), conn, new ResolverBuildOptions(scheduler, 443, false));
    toClose.add(r::close);
    return r;
  }

  private static String call(ClientConn cc) {
    return cc.invoke(NamedServer.UNARY, StringValue.of(""),
        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)).getValue();
  }

  /** Calls until the last 30 answers came from exactly {@code names}, or fails after 15 s. */
  private static void awaitServing(ClientConn cc, Set<String> names) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    List<String> window = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      window.add(call(cc));
      if (window.size() > 30) {
        window.remove(0);
      }
      if (window.size() == 30 && new HashSet<>(window).equals(names)) {
        return;
      }
    }
    throw new AssertionError("Calls did not settle on " + names + " within 15 s; last: " + window);
  }

  /** 100 concurrent calls; all must succeed. */
  private static Map<String, Integer> concurrentCalls(ClientConn cc) throws Exception {
    List<CompletableFuture<StringValue>> futures = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      futures.add(ClientCalls.futureUnaryCall(cc.newCall(NamedServer.UNARY,
          CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)), StringValue.of("")));
    }
    Map<String, Integer> counts = new HashMap<>();
    for (CompletableFuture<StringValue> f : futures) {
      counts.merge(f.get(10, TimeUnit.SECONDS).getValue(), 1, Integer::sum);
    }
    return counts;
  }

  private static long put(EtcdClient c, String key, String value) throws Exception {
    PutResponse r = c.kvFuture().put(PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build())
        .get(10, TimeUnit.SECONDS);
    return r.getHeader().getRevision();
  }

  private static long delete(EtcdClient c, String key) throws Exception {
    return c.kvFuture().deleteRange(DeleteRangeRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).build()).get(10, TimeUnit.SECONDS).getHeader().getRevision();
  }

  @Test
  void roundRobinSpreadsOverRegisteredServersAndFollowsJoinsAndGracefulLeaves() throws Exception {
    NamedServer a = server("a", client, Duration.ofSeconds(5));
    server("b", client, Duration.ofSeconds(5));
    server("c", client, Duration.ofSeconds(5));
    ClientConn cc = dial(client);
    awaitServing(cc, Set.of("a", "b", "c"));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      counts.merge(call(cc), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys("a", "b", "c");
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(95, 105));

    server("d", client, Duration.ofSeconds(5));
    awaitServing(cc, Set.of("a", "b", "c", "d"));

    // Graceful shutdown deregisters before GOAWAY: every call after it succeeds elsewhere.
    a.shutdownGracefully();
    assertThat(a.registration.isRegistered()).isFalse();
    assertThat(client.kvFuture().range(RangeRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(service + "/" + a.hostPort())).build()).get().getCount()).isZero();
    Map<String, Integer> after = concurrentCalls(cc);
    assertThat(after).containsOnlyKeys("b", "c", "d");
  }

  @Test
  void aServerWhoseLeaseExpiresStopsGettingCalls() throws Exception {
    server("a", client, Duration.ofSeconds(2));
    NamedServer b = server("b", client, Duration.ofSeconds(2));
    ClientConn cc = dial(client);
    awaitServing(cc, Set.of("a", "b"));

    long halted = System.nanoTime();
    b.registration.halt(); // as if its process died: keepalives stop, the key stays until expiry
    awaitServing(cc, Set.of("a"));
    // TTL 2 s (etcd's minimum with its default election timeout), plus the lessor's checks.
    assertThat(Duration.ofNanos(System.nanoTime() - halted)).isLessThan(Duration.ofSeconds(6));
    assertThat(b.server.isShutdown()).isFalse(); // it went because of the lease, not the socket
    assertThat(concurrentCalls(cc)).containsOnlyKeys("a");
  }

  @Test
  void registrationWritesGrpcGoEndpointJson() throws Exception {
    NamedServer a = server("a", client, Duration.ofSeconds(5));
    String key = service + "/" + a.hostPort();
    assertThat(a.registration.keys()).containsExactly(key);
    var kv = client.kvFuture().range(RangeRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).build()).get().getKvs(0);
    assertThat(kv.getValue().toStringUtf8())
        .isEqualTo("{\"Op\":0,\"Addr\":\"" + a.hostPort() + "\",\"Metadata\":null}");
    assertThat(kv.getLease()).isNotZero();
  }

  @Test
  void understandsKeysAsGrpcGoAndEtcdctlWriteThemAndSkipsTheRest() throws Exception {
    // grpc-go's endpoints.Manager.AddEndpoint writes its internal Update type as JSON.
    put(client, service + "/10.0.0.1:50051",
        "{\"Op\":0,\"Addr\":\"10.0.0.1:50051\",\"Metadata\":{\"zone\":\"eu-1\",\"weight\":3}}");
    // etcd's docs register with etcdctl put and no Op.
    put(client, service + "/10.0.0.2:50051", "{\"Addr\":\"10.0.0.2:50051\",\"Metadata\":\"canary\"}");
    put(client, service + "/broken", "{not json");
    put(client, service + "/noaddr", "{\"Metadata\":1}");
    // A sibling service whose name starts with ours is not ours.
    put(client, service + "-2/10.0.0.9:50051", "{\"Addr\":\"10.0.0.9:50051\"}");
    RecordingResolverClientConn conn = new RecordingResolverClientConn();
    resolve(client, "etcd:///" + service, conn);
    ResolverState state = conn.nextState();
    assertThat(RecordingResolverClientConn.hostPorts(state)).containsExactly("10.0.0.1:50051", "10.0.0.2:50051");
    assertThat(state.addresses().get(0).attributes().get(EtcdResolverBuilder.METADATA))
        .isEqualTo(Map.of("zone", "eu-1", "weight", 3L));
    assertThat(state.addresses().get(0).attributes().get(EtcdResolverBuilder.KEY))
        .isEqualTo(service + "/10.0.0.1:50051");
    assertThat(state.addresses().get(1).attributes().get(EtcdResolverBuilder.METADATA)).isEqualTo("canary");

    // Watch: a delete removes by key, a put adds; one report per change.
    delete(client, service + "/10.0.0.1:50051");
    assertThat(RecordingResolverClientConn.hostPorts(conn.nextState())).containsExactly("10.0.0.2:50051");
    put(client, service + "/x", "{\"Op\":0,\"Addr\":\"10.0.0.3:50051\",\"Metadata\":null}");
    assertThat(RecordingResolverClientConn.hostPorts(conn.nextState())).containsExactly("10.0.0.2:50051", "10.0.0.3:50051");
    // Two keys with one address report it once.
    put(client, service + "/y", "{\"Addr\":\"10.0.0.3:50051\"}");
    put(client, service + "-2/10.0.0.8:50051", "{\"Addr\":\"10.0.0.8:50051\"}");
    put(client, service + "/z", "{\"Addr\":\"10.0.0.4:50051\"}");
    assertThat(RecordingResolverClientConn.hostPorts(conn.nextState()))
        .containsExactly("10.0.0.2:50051", "10.0.0.3:50051", "10.0.0.4:50051");
    assertThat(conn.events).isEmpty();
  }

  @Test
  void anEmptyPrefixFailsCallsUnavailableUntilAServerRegisters() throws Exception {
    ClientConn cc = dial(client);
    assertThatThrownBy(() -> call(cc))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).contains("no addresses");
        });
    server("a", client, Duration.ofSeconds(5));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String answer = null;
    while (answer == null && System.nanoTime() < deadline) {
      try {
        answer = call(cc);
      } catch (StatusException notYet) {
        assertThat(notYet.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
      }
    }
    assertThat(answer).isEqualTo("a");
  }

  @Test
  void unreachableEtcdIsReportedAsChannelStateNotThrown() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    EtcdClient nowhere = closeLater(EtcdClient.newBuilder().endpoints("127.0.0.1:" + closed).build());
    RecordingResolverClientConn conn = new RecordingResolverClientConn();
    resolve(nowhere, "etcd:///" + service, conn);
    Status error = conn.nextError();
    assertThat(error.getCode()).isEqualTo(Code.UNAVAILABLE);
    assertThat(error.getDescription()).contains("'" + service + "/'").contains("127.0.0.1:" + closed)
        .contains("retrying in");

    ClientConn cc = dial(nowhere);
    assertThatThrownBy(() -> call(cc))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).contains("etcd resolver for prefix");
        });
  }

  @Test
  void aCutOffResolverCatchesUpFromItsRevisionOrRelistsAfterCompaction() throws Exception {
    CuttableProxy proxy = closeLater(new CuttableProxy(etcd.clientPort()));
    EtcdClient viaProxy = closeLater(EtcdClient.newBuilder().endpoints(proxy.endpoint()).build());
    put(client, service + "/1", "{\"Addr\":\"10.0.1.1:1\"}");
    put(client, service + "/2", "{\"Addr\":\"10.0.1.2:1\"}");
    RecordingResolverClientConn conn = new RecordingResolverClientConn();
    resolve(viaProxy, "etcd:///" + service, conn);
    assertThat(RecordingResolverClientConn.hostPorts(conn.nextState())).containsExactly("10.0.1.1:1", "10.0.1.2:1");

    // Cut off, changes made meanwhile arrive as events once the watch resumes.
    proxy.cut();
    assertThat(conn.nextError().getDescription()).contains("keeping the last 2 address(es)");
    delete(client, service + "/1");
    put(client, service + "/3", "{\"Addr\":\"10.0.1.3:1\"}");
    proxy.restore();
    assertThat(RecordingResolverClientConn.hostPorts(conn.nextStateAfterErrors())).containsExactly("10.0.1.2:1", "10.0.1.3:1");

    // Cut off again; this time the history is compacted, so only a new listing can be right.
    proxy.cut();
    assertThat(conn.nextError().getCode()).isEqualTo(Code.UNAVAILABLE);
    delete(client, service + "/2");
    put(client, service + "/4", "{\"Addr\":\"10.0.1.4:1\"}");
    long head = put(client, "unrelated/key", "x");
    client.kvFuture().compact(CompactionRequest.newBuilder().setRevision(head).setPhysical(true).build())
        .get(10, TimeUnit.SECONDS);
    proxy.restore();
    assertThat(RecordingResolverClientConn.hostPorts(conn.nextStateAfterErrors())).containsExactly("10.0.1.3:1", "10.0.1.4:1");
    // And it watches again after the listing.
    put(client, service + "/5", "{\"Addr\":\"10.0.1.5:1\"}");
    assertThat(RecordingResolverClientConn.hostPorts(conn.nextState()))
        .containsExactly("10.0.1.3:1", "10.0.1.4:1", "10.0.1.5:1");
  }

  @Test
  void closingTheChannelCancelsItsWatch() throws Exception {
    server("a", client, Duration.ofSeconds(5));
    long before = watchers();
    ClientConn cc = closeLater(dial(client));
    assertThat(call(cc)).isEqualTo("a");
    awaitWatchers(before + 1);
    cc.close();
    awaitWatchers(before);
  }

  private static long watchers() throws Exception {
    String metrics = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + etcd.endpoint() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("etcd_debugging_mvcc_watcher_total ")) {
        return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).strip());
      }
    }
    throw new AssertionError("etcd's /metrics has no etcd_debugging_mvcc_watcher_total");
  }

  private static void awaitWatchers(long expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long seen = watchers();
    while (seen != expected && System.nanoTime() < deadline) {
      Thread.sleep(50); // polling etcd's metrics: nothing to wait on
      seen = watchers();
    }
    assertThat(seen).as("etcd watchers").isEqualTo(expected);
  }
}
