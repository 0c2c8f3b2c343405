package dev.grpcspring.boot.autoconfigure.client;

import dev.grpcspring.inprocess.InProcessSocketAddress;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;

/**
 * Resolves the effective properties of a named channel: the built-in defaults, overridden by
 * {@code grpc.client.channel.default.*}, overridden by {@code grpc.client.channel.<name>.*}, key by
 * key (a nested key such as {@code backoff.max-delay} overrides only itself; a list replaces the
 * inherited list). With {@code grpc.client.in-process.name} set, every channel's target is that
 * in-process server.
 */
public final class ChannelPropertiesResolver {

  private static final ConfigurationPropertyName CHANNELS =
      ConfigurationPropertyName.of("grpc.client.channel");

  private static final ConfigurationPropertyName IN_PROCESS_NAME =
      ConfigurationPropertyName.of("grpc.client.in-process.name");

  private final Binder binder;

  public ChannelPropertiesResolver(Binder binder) {
    this.binder = binder;
  }

  public ChannelPropertiesResolver(Environment environment) {
    this(Binder.get(environment));
  }

  /**
   * The properties of channel {@code name}, with the default channel's values inherited.
   *
   * @throws IllegalArgumentException if {@code name} cannot be a property name
   */
  public ChannelProperties resolve(String name) {
    ChannelProperties properties = new ChannelProperties();
    // Binding onto an existing instance sets only the keys that are present, so binding the
    // default entry and then the named one layers them key by key.
    binder.bind(key(GrpcClientProperties.DEFAULT_CHANNEL), Bindable.ofInstance(properties));
    if (!GrpcClientProperties.DEFAULT_CHANNEL.equals(name)) {
      binder.bind(key(name), Bindable.ofInstance(properties));
    }
    String inProcess = binder.bind(IN_PROCESS_NAME, Bindable.of(String.class)).orElse("");
    if (!inProcess.isBlank()) {
      properties.setTarget(new InProcessSocketAddress(inProcess).toString());
    }
    return properties;
  }

  private static ConfigurationPropertyName key(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("A gRPC channel name must not be empty");
    }
    // A name that is a plain element (user-service) takes the dotted form: in brackets its
    // dashes would count, and grpc.client.channel.user-service.* would not match it. Other names
    // (with dots or capitals) need the bracket form, which takes any map key.
    String dotted = CHANNELS + "." + name;
    if (name.indexOf('.') < 0 && ConfigurationPropertyName.isValid(dotted)) {
      return ConfigurationPropertyName.of(dotted);
    }
    return ConfigurationPropertyName.of(CHANNELS + "[" + name + "]");
  }
}
