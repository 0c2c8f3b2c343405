package dev.grpcspring.boot.autoconfigure.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.client.DialOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code grpc.client.channel.<name>.keepalive.*} into the channel's dial options. */
class ChannelKeepAlivePropertiesTest {

  private static DialOptions options(Map<String, String> properties, String channel) {
    ChannelPropertiesResolver resolver =
        new ChannelPropertiesResolver(new Binder(new MapConfigurationPropertySource(properties)));
    DefaultGrpcChannelFactory factory = new DefaultGrpcChannelFactory(resolver,
        new DefaultListableBeanFactory(), List::of, List.of());
    return factory.dialOptions(channel, resolver.resolve(channel)).build();
  }

  @Test
  void keysAreInheritedFromDefaultOneByOne() {
    Map<String, String> p = Map.of(
        "grpc.client.channel.default.keepalive.time", "1m",
        "grpc.client.channel.default.keepalive.without-calls", "true",
        "grpc.client.channel.users.keepalive.timeout", "5s");
    DialOptions users = options(p, "users");
    assertThat(users.keepAliveTime()).isEqualTo(Duration.ofMinutes(1));
    assertThat(users.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(users.keepAliveWithoutCalls()).isTrue();
    DialOptions other = options(p, "other");
    assertThat(other.keepAliveTimeout()).isEqualTo(DialOptions.DEFAULT_KEEPALIVE_TIMEOUT);
  }

  @Test
  void offByDefaultAndRaisedToTheTenSecondFloor() {
    assertThat(options(Map.of(), "x").keepAliveTime()).isNull();
    assertThat(options(Map.of("grpc.client.channel.x.keepalive.time", "1s"), "x").keepAliveTime())
        .isEqualTo(DialOptions.MIN_KEEPALIVE_TIME);
  }

  @Test
  void nonPositiveValuesAreRejectedWithTheirKey() {
    assertThatThrownBy(() -> options(Map.of("grpc.client.channel.x.keepalive.timeout", "0s"), "x"))
        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
        .hasMessageContaining("grpc.client.channel.x.keepalive.timeout");
  }
}
