package dev.grpcspring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.grpcspring.Channel;
import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.client.GrpcChannelFactory;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * {@code grpc.client.channel.<name>.dns.service-config-lookup} from YAML (inherited from the
 * default entry): a loopback DNS server answers {@code echo.test} with two loopback addresses and
 * {@code _grpc_config.echo.test} with a config choosing round_robin and a 1 s timeout for Echo.
 * Two grpc-java backends on the same port of 127.0.0.1 and 127.0.0.2 say who served a call.
 */
@Timeout(60)
class DnsServiceConfigFromYamlTest {
  private static final String TXT = "grpc_config=[{\"clientLanguage\":[\"go\"],"
      + "\"serviceConfig\":{\"loadBalancingConfig\":[{\"pick_first\":{}}]}},"
      + "{\"clientLanguage\":[\"JAVA\"],\"serviceConfig\":{"
      + "\"loadBalancingConfig\":[{\"round_robin\":{}}],"
      + "\"methodConfig\":[{\"name\":[{\"service\":\"grpcspring.boot.test.EchoService\","
      + "\"method\":\"Echo\"}],\"timeout\":\"1s\"}]}}]";

  private final List<Server> backends = new ArrayList<>();
  private LoopbackDnsServer dns;

  /** A grpc-java echo backend answering with its host; "slow" takes three seconds. */
  private static Server backend(String host, int port) throws IOException {
    io.grpc.MethodDescriptor<EchoRequest, EchoResponse> echo =
        io.grpc.MethodDescriptor.<EchoRequest, EchoResponse>newBuilder()
            .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(EchoServiceGrpc.getEchoMethod().getFullMethodName())
            .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(EchoRequest.getDefaultInstance()))
            .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(EchoResponse.getDefaultInstance()))
            .build();
    return NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .addService(io.grpc.ServerServiceDefinition.builder(EchoServiceGrpc.SERVICE_NAME)
            .addMethod(echo, ServerCalls.asyncUnaryCall((req, obs) -> {
              if (req.getText().equals("slow")) {
                try {
                  Thread.sleep(3000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              obs.onNext(EchoResponse.newBuilder().setText(host).build());
              obs.onCompleted();
            }))
            .build())
        .build()
        .start();
  }

  @BeforeEach
  void start() throws Exception {
    backends.add(backend("127.0.0.1", 0));
    backends.add(backend("127.0.0.2", backends.get(0).getPort()));
    dns = new LoopbackDnsServer();
    dns.a.put("echo.test.", List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2")));
    dns.txt.put("_grpc_config.echo.test.", TXT);
  }

  @AfterEach
  void stop() throws Exception {
    for (Server s : backends) {
      s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    dns.close();
  }

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class))
        .withInitializer(ctx -> {
          try {
            for (PropertySource<?> source : new YamlPropertySourceLoader()
                .load("dns-txt.yml", new ClassPathResource("dns-txt.yml"))) {
              ctx.getEnvironment().getPropertySources().addLast(source);
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })
        .withPropertyValues("test.dns.port=" + dns.address().getPort(),
            "test.grpc.port=" + backends.get(0).getPort());
  }

  private static String echo(Channel channel, String text) {
    return EchoServiceGrpc.newBlockingStub(channel)
        .echo(EchoRequest.newBuilder().setText(text).build()).getText();
  }

  private static Map<String, Integer> spread(Channel channel) {
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      served.merge(echo(channel, "x"), 1, Integer::sum);
    }
    return served;
  }

  @Test
  void txtServiceConfigSetsTheBalancerAndAMethodTimeoutOnChannelsThatLookItUp() {
    runner().run(ctx -> {
      GrpcChannelFactory channels = ctx.getBean(GrpcChannelFactory.class);
      Channel txt = channels.getChannel("txt", List.of());
      Channel plain = channels.getChannel("plain", List.of());

      // Connections to both backends first (on a loaded machine the first ones can take longer
      // than the TXT config's timeout, which then ends those calls).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Map<String, Integer> warm = new HashMap<>();
      while (warm.size() < 2 && System.nanoTime() < deadline) {
        try {
          warm.merge(echo(txt, "x"), 1, Integer::sum);
        } catch (StatusException slowStart) {
          assertThat(slowStart.getStatus().getCode()).isEqualTo(Code.DEADLINE_EXCEEDED);
        }
      }
      echo(plain, "x");

      // The TXT config's round_robin alternates between both addresses...
      assertThat(spread(txt)).containsOnly(Map.entry("127.0.0.1", 10), Map.entry("127.0.0.2", 10));
      // ...and its 1 s timeout ends a call the backend answers after three.
      long start = System.nanoTime();
      StatusException e = catchThrowableOfType(StatusException.class, () -> echo(txt, "slow"));
      assertThat(e.getStatus().getCode()).isEqualTo(Code.DEADLINE_EXCEEDED);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2500);

      // Without the lookup: pick_first stays on the first address, and no timeout applies.
      assertThat(spread(plain)).containsOnly(Map.entry("127.0.0.1", 20));
      assertThat(echo(plain, "slow")).isEqualTo("127.0.0.1");
    });
  }

  @Test
  void lookupOnAChannelThatDropsResolverConfigsIsRefused() {
    runner().withPropertyValues("grpc.client.channel.txt.resolver-service-config-enabled=false")
        .run(ctx -> {
          Throwable t = catchThrowableOfType(Throwable.class,
              () -> ctx.getBean(GrpcChannelFactory.class).getChannel("txt", List.of()));
          assertThat(t).isInstanceOf(InvalidConfigurationPropertyValueException.class)
              .hasMessageContaining("grpc.client.channel.txt.dns.service-config-lookup")
              .hasMessageContaining("resolver-service-config-enabled=false");
        });
  }
}
