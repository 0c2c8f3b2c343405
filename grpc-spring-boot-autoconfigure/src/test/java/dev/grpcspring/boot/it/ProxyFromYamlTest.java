package dev.grpcspring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.boot.autoconfigure.client.GrpcClientAutoConfiguration;
import dev.grpcspring.boot.client.GrpcChannelFactory;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import dev.grpcspring.testing.ConnectProxy;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code grpc.client.channel.<name>.proxy.*} on the wire: calls to a grpc-java server through a
 * CONNECT proxy written in the test, which alone knows the target's name.
 */
@Timeout(60)
class ProxyFromYamlTest {
  private static final String NAME = "echo.proxy-test";
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private Server peer;
  private ConnectProxy proxy;

  @BeforeEach
  void start() throws IOException {
    MethodDescriptor<byte[], byte[]> echo = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(EchoServiceGrpc.getEchoMethod().getFullMethodName())
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
    ServerServiceDefinition service = ServerServiceDefinition.builder(EchoServiceGrpc.SERVICE_NAME)
        .addMethod(echo, ServerCalls.asyncUnaryCall((req, obs) -> {
          // EchoRequest and EchoResponse carry the text in field 1: the bytes echo as a response.
          obs.onNext(req);
          obs.onCompleted();
        }))
        .build();
    peer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(service).build().start();
    proxy = new ConnectProxy().map(NAME, peer.getPort());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    peer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private ApplicationContextRunner runner(String... properties) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(GrpcClientAutoConfiguration.class))
        .withPropertyValues(properties);
  }

  private static String echo(GrpcChannelFactory channels, String channel, String text) {
    return EchoServiceGrpc.newBlockingStub(channels.getChannel(channel, List.of()))
        .echo(EchoRequest.newBuilder().setText(text).build()).getText();
  }

  @Test
  void theDefaultChannelsProxyCarriesANamedChannelsCalls() {
    runner("grpc.client.channel.default.proxy.address=http://" + proxy.address(),
        "grpc.client.channel.echo.target=" + NAME + ":" + peer.getPort())
        .run(ctx -> {
          assertThat(echo(ctx.getBean(GrpcChannelFactory.class), "echo", "hi")).isEqualTo("hi");
          assertThat(proxy.requestLines())
              .containsExactly("CONNECT " + NAME + ":" + peer.getPort() + " HTTP/1.1");
        });
  }

  @Test
  void credentialsFromYamlGoToTheProxy() {
    proxy.requireAuthorization("Basic dXNlcjpzZWNyZXQ="); // user:secret
    runner("grpc.client.channel.default.proxy.address=" + proxy.address(),
        "grpc.client.channel.default.proxy.username=user",
        "grpc.client.channel.default.proxy.password=secret",
        "grpc.client.channel.echo.target=" + NAME + ":" + peer.getPort())
        .run(ctx -> assertThat(echo(ctx.getBean(GrpcChannelFactory.class), "echo", "auth"))
            .isEqualTo("auth"));
  }

  @Test
  void noProxyAndEnabledFalseBypassTheInheritedProxy() {
    proxy.refuse("HTTP/1.1 502 Bad Gateway");
    runner("grpc.client.channel.default.proxy.address=" + proxy.address(),
        "grpc.client.channel.default.target=127.0.0.1:" + peer.getPort(),
        "grpc.client.channel.listed.proxy.no-proxy=localhost,127.0.0.0/8",
        "grpc.client.channel.off.proxy.enabled=false")
        .run(ctx -> {
          GrpcChannelFactory channels = ctx.getBean(GrpcChannelFactory.class);
          assertThat(echo(channels, "listed", "direct")).isEqualTo("direct");
          assertThat(echo(channels, "off", "direct too")).isEqualTo("direct too");
          assertThat(proxy.requests).isEmpty();
          // The same target through the inherited proxy is refused, with the proxy's answer.
          assertThatThrownBy(() -> echo(channels, "proxied", "refused"))
              .isInstanceOfSatisfying(StatusException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
                assertThat(e.getMessage()).contains("HTTP CONNECT proxy http://" + proxy.address())
                    .contains("502 Bad Gateway");
              });
          assertThat(proxy.requests).hasSize(1);
        });
  }

  @Test
  void anUnsupportedProxyIsRejectedAtStartupWithItsKey() {
    runner("grpc.client.channel.default.proxy.address=socks5://user:pw@p:1080",
        "grpc.client.channel.echo.target=" + NAME + ":1")
        .run(ctx -> assertThatThrownBy(() -> ctx.getBean(GrpcChannelFactory.class)
                .getChannel("echo", List.of()))
            .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
              assertThat(e.getName()).isEqualTo("grpc.client.channel.echo.proxy.address");
              assertThat(e.getMessage()).contains("only HTTP CONNECT proxies").doesNotContain("pw");
            }));
    runner("grpc.client.channel.echo.proxy.no-proxy=internal",
        "grpc.client.channel.echo.target=" + NAME + ":1")
        .run(ctx -> assertThatThrownBy(() -> ctx.getBean(GrpcChannelFactory.class)
                .getChannel("echo", List.of()))
            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
            .hasMessageContaining("grpc.client.channel.echo.proxy.no-proxy"));
  }
}
