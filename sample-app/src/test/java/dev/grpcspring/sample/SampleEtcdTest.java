package dev.grpcspring.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.etcd.EtcdProcess;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code etcd} profile: three sample instances register in a real etcd, and {@code GET /hello}
 * on one of them is served by all three in turn (round robin over {@code etcd:///}); once one
 * instance stops, calls keep succeeding on the other two. Not in the AOT run: AOT fixes the
 * application's beans at build time for its default profile, and these contexts use another.
 */
@Timeout(60)
@DisabledIfSystemProperty(named = "spring.aot.enabled", matches = "true",
    disabledReason = "the AOT-processed application context is the default profile's, not etcd's")
class SampleEtcdTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static ConfigurableApplicationContext instance(EtcdProcess etcd) {
    return new SpringApplicationBuilder(SampleApplication.class).profiles("etcd")
        .run("--grpc.server.port=0", "--server.port=0", "--sample.demo.enabled=false",
            "--grpc.etcd.endpoints=" + etcd.url());
  }

  private static String name(ConfigurableApplicationContext instance) {
    return "grpc-spring-sample@" + instance.getEnvironment().getProperty("local.grpc.server.port");
  }

  /** GET /hello on {@code instance}; the answer must be a greeting, and says who served it. */
  private static String servedBy(ConfigurableApplicationContext instance) throws Exception {
    String port = instance.getEnvironment().getProperty("local.server.port");
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/hello?name=Ada")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).startsWith("Hello, Ada (served by ");
    return response.body().substring("Hello, Ada (served by ".length(), response.body().length() - 1);
  }

  private static Map<String, Integer> calls(ConfigurableApplicationContext via, int n)
      throws Exception {
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < n; i++) {
      served.merge(servedBy(via), 1, Integer::sum);
    }
    return served;
  }

  @Test
  void threeInstancesShareTheCallsAndTwoCarryOnWhenOneStops() throws Exception {
    List<ConfigurableApplicationContext> instances = new ArrayList<>();
    try (EtcdProcess etcd = EtcdProcess.start()) {
      try {
        for (int i = 0; i < 3; i++) {
          instances.add(instance(etcd));
        }
        ConfigurableApplicationContext a = instances.get(0);
        Set<String> all = Set.of(name(a), name(instances.get(1)), name(instances.get(2)));

        // Registration and the watch take a moment: call until every instance has answered.
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!seen.equals(all) && System.nanoTime() < deadline) {
          seen.add(servedBy(a));
        }
        assertThat(seen).isEqualTo(all);
        Map<String, Integer> spread = calls(a, 30);
        assertThat(spread).containsOnlyKeys(all);
        assertThat(spread.values()).allSatisfy(n -> assertThat(n).isEqualTo(10));

        // The third stops (deregistering first): every call still succeeds, on the other two.
        ConfigurableApplicationContext stopped = instances.remove(2);
        String gone = name(stopped);
        stopped.close();
        Map<String, Integer> after = calls(a, 20);
        assertThat(after).doesNotContainKey(gone);
        assertThat(after).containsOnlyKeys(name(a), name(instances.get(1)));
      } finally {
        // Before etcd stops, so that they deregister from a live etcd.
        for (ConfigurableApplicationContext c : instances) {
          c.close();
        }
      }
    }
  }
}
