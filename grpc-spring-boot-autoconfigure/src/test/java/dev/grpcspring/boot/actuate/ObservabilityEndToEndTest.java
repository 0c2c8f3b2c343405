package dev.grpcspring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.boot.client.GrpcClient;
import dev.grpcspring.boot.it.EchoApplication;
import dev.grpcspring.boot.server.LocalGrpcServerPort;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import dev.grpcspring.channelz.v1.ChannelzGrpc;
import dev.grpcspring.channelz.v1.GetTopChannelsRequest;
import dev.grpcspring.client.ClientConn;
import dev.grpcspring.client.DialOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application of the end-to-end tests with Actuator over HTTP: after a known set of calls,
 * {@code /actuator/grpc} shows the server (port, services, methods) and the channel with their
 * counters, {@code /actuator/metrics} has the {@code grpc.server} / {@code grpc.client}
 * observations and the channelz meters, {@code /actuator/health} has the gRPC components, and the
 * channelz service answers on the gRPC port.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
        "spring.main.web-application-type=servlet",
        "management.endpoints.web.exposure.include=grpc,health,metrics",
        "management.endpoint.health.show-details=always",
        "grpc.server.channelz.enabled=true",
        "management.metrics.distribution.percentiles.grpc.server=0.5,0.99",
        "management.metrics.distribution.slo.grpc.client=50ms,1s"})
@ActiveProfiles("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityEndToEndTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Value("${local.server.port}")
  int httpPort;

  @LocalGrpcServerPort
  int grpcPort;

  @GrpcClient("echo")
  EchoServiceGrpc.EchoServiceBlockingStub echo;

  @Autowired
  MeterRegistry meterRegistry;

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  void makeKnownCalls() {
    echo.echo(EchoRequest.newBuilder().setText("one").build());
    echo.echo(EchoRequest.newBuilder().setText("two").build());
    assertThatThrownBy(() -> echo.echo(EchoRequest.newBuilder().setText("missing").build()))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.NOT_FOUND));
  }

  @Test
  void grpcEndpointListsTheServerItsServicesAndTheChannelWithCounters() throws Exception {
    JsonNode root = get("/actuator/grpc", 200);
    JsonNode server = null;
    for (JsonNode s : root.get("servers")) {
      if (s.path("port").asInt(-1) == grpcPort) {
        server = s;
      }
    }
    assertThat(server).as("server on port %s in %s", grpcPort, root).isNotNull();
    List<String> services = new ArrayList<>();
    for (JsonNode s : server.get("services")) {
      services.add(s.get("name").asString());
      if (s.get("name").asString().equals("grpcspring.boot.test.EchoService")) {
        List<String> methods = new ArrayList<>();
        s.get("methods").forEach(m -> methods.add(m.get("name").asString() + ":"
            + m.get("type").asString()));
        assertThat(methods).contains("Echo:UNARY", "Expand:SERVER_STREAMING",
            "Collect:CLIENT_STREAMING", "Chat:BIDI_STREAMING");
      }
    }
    assertThat(services).contains("grpcspring.boot.test.EchoService", "grpc.channelz.v1.Channelz");
    assertThat(server.get("calls").get("started").asLong()).isGreaterThanOrEqualTo(3);
    assertThat(server.get("listenAddresses")).hasSize(1);
    assertThat(server.get("sockets").size()).isGreaterThanOrEqualTo(1);

    JsonNode channel = channelNamed(root, "echo");
    assertThat(channel.get("target").asString()).isEqualTo("localhost:" + grpcPort);
    assertThat(channel.get("state").asString()).isEqualTo("READY");
    assertThat(channel.get("calls").get("started").asLong()).isEqualTo(3);
    assertThat(channel.get("calls").get("succeeded").asLong()).isEqualTo(2);
    assertThat(channel.get("calls").get("failed").asLong()).isEqualTo(1);
    List<String> events = new ArrayList<>();
    channel.get("trace").forEach(e -> events.add(e.get("description").asString()));
    assertThat(events).contains("Channel state changed to READY");
    JsonNode sub = channel.get("subchannels").get(0);
    assertThat(sub.get("state").asString()).isEqualTo("READY");
    JsonNode socket = sub.get("sockets").get(0);
    assertThat(socket.get("streamsStarted").asLong()).isEqualTo(3);
    assertThat(socket.get("messagesReceived").asLong()).isEqualTo(2);
    assertThat(socket.get("remote").asString()).endsWith(":" + grpcPort);
    assertThat(socket.get("localFlowControlWindow").asLong()).isPositive();
  }

  @Test
  void metricsHaveTheObservationsAndTheChannelzMeters() throws Exception {
    JsonNode names = get("/actuator/metrics", 200).get("names");
    List<String> all = new ArrayList<>();
    names.forEach(n -> all.add(n.asString()));
    assertThat(all).contains("grpc.server", "grpc.client", "grpc.channelz.channel.calls.started",
        "grpc.channelz.server.calls.started", "grpc.channelz.socket.messages.sent");

    JsonNode failedClient = awaitCount("/actuator/metrics/grpc.client?tag=rpc.method:Echo"
        + "&tag=grpc.status_code:NOT_FOUND&tag=rpc.service:grpcspring.boot.test.EchoService"
        + "&tag=rpc.type:UNARY", 1);
    assertThat(failedClient.get("name").asString()).isEqualTo("grpc.client");
    awaitCount("/actuator/metrics/grpc.client?tag=rpc.method:Echo&tag=grpc.status_code:OK", 2);
    awaitCount("/actuator/metrics/grpc.server?tag=rpc.method:Echo&tag=grpc.status_code:OK", 2);
    awaitCount("/actuator/metrics/grpc.server?tag=rpc.method:Echo"
        + "&tag=grpc.status_code:NOT_FOUND", 1);

    JsonNode channel = channelNamed(get("/actuator/grpc", 200), "echo");
    JsonNode started = get("/actuator/metrics/grpc.channelz.channel.calls.started?tag=channel:"
        + channel.get("id").asLong(), 200);
    assertThat(measurement(started, "COUNT")).isEqualTo(3);
  }

  @Test
  void histogramsFollowBootsDistributionProperties() throws Exception {
    awaitCount("/actuator/metrics/grpc.server?tag=rpc.method:Echo&tag=grpc.status_code:OK", 2);
    Timer server = meterRegistry.get("grpc.server").tag("rpc.method", "Echo")
        .tag("grpc.status_code", "OK").timer();
    assertThat(server.takeSnapshot().percentileValues())
        .extracting(v -> v.percentile()).containsExactly(0.5, 0.99);
    Timer client = meterRegistry.get("grpc.client").tag("rpc.method", "Echo")
        .tag("grpc.status_code", "OK").timer();
    assertThat(client.takeSnapshot().histogramCounts())
        .extracting(c -> c.bucket(java.util.concurrent.TimeUnit.MILLISECONDS))
        .containsExactly(50.0, 1000.0);
  }

  @Test
  void healthHasTheServerAndEveryChannel() throws Exception {
    JsonNode health = get("/actuator/health", 200);
    JsonNode components = health.get("components");
    assertThat(components.get("grpcServer").get("status").asString()).isEqualTo("UP");
    assertThat(components.get("grpcServer").get("details").get("port").asInt()).isEqualTo(grpcPort);
    JsonNode echoChannel = components.get("grpcChannels").get("components").get("echo");
    assertThat(echoChannel.get("status").asString()).isEqualTo("UP");
    assertThat(echoChannel.get("details").get("state").asString()).isEqualTo("READY");
    assertThat(echoChannel.get("details").get("callsStarted").asLong()).isEqualTo(3);
  }

  @Test
  void channelzServiceAnswersOnTheGrpcPort() throws Exception {
    ClientConn cc = ClientConn.dial("127.0.0.1:" + grpcPort, DialOptions.newBuilder().insecure()
        .channelz(new dev.grpcspring.channelz.Channelz()).build());
    try {
      var top = ChannelzGrpc.newBlockingStub(cc).getTopChannels(
          GetTopChannelsRequest.getDefaultInstance());
      assertThat(top.getChannelList()).anySatisfy(c -> {
        assertThat(c.getData().getTarget()).isEqualTo("localhost:" + grpcPort);
        assertThat(c.getData().getCallsStarted()).isEqualTo(3);
        assertThat(c.getData().getCallsFailed()).isEqualTo(1);
      });
    } finally {
      cc.close();
    }
  }

  private JsonNode channelNamed(JsonNode root, String name) {
    for (JsonNode c : root.get("channels")) {
      if (name.equals(c.path("name").asString(null))) {
        return c;
      }
    }
    throw new AssertionError("no channel named " + name + " in " + root);
  }

  private JsonNode awaitCount(String path, long expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      HttpResponse<String> r = send(path);
      if (r.statusCode() == 200) {
        JsonNode body = JSON.readTree(r.body());
        if (measurement(body, "COUNT") == expected || System.nanoTime() > deadline) {
          assertThat(measurement(body, "COUNT")).as("%s: %s", path, body).isEqualTo(expected);
          return body;
        }
      } else if (System.nanoTime() > deadline) {
        throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
      }
      Thread.sleep(50);
    }
  }

  private static double measurement(JsonNode metric, String statistic) {
    for (JsonNode m : metric.get("measurements")) {
      if (m.get("statistic").asString().equals(statistic)) {
        return m.get("value").asDouble();
      }
    }
    throw new AssertionError("no " + statistic + " in " + metric);
  }

  private JsonNode get(String path, int status) throws Exception {
    HttpResponse<String> r = send(path);
    assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(status);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> send(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
