package dev.grpcspring.boot.autoconfigure.client;

import dev.grpcspring.serviceconfig.InvalidServiceConfigException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns a service-config rule the core reports by its JSON path ({@code
 * methodConfig[0].retryPolicy.maxAttempts}) into an error naming the YAML property that holds the
 * value ({@code grpc.client.channel.echo.service-config.method[0].retry.max-attempts}).
 */
final class ServiceConfigPropertyErrors {
  /** JSON field names that differ from the property names (camelCase before kebab-casing). */
  private static final Map<String, String> RENAMED = Map.of(
      "methodConfig", "method",
      "retryPolicy", "retry",
      "hedgingPolicy", "hedging",
      "healthCheckConfig", "healthCheck",
      "maxRequestMessageBytes", "maxRequestMessageSize",
      "maxResponseMessageBytes", "maxResponseMessageSize");

  private ServiceConfigPropertyErrors() {}

  /**
   * The error to throw for {@code e}: an {@link InvalidConfigurationPropertyValueException} when
   * the field is a single value, else an {@link IllegalArgumentException} naming the property
   * whose entries conflict.
   *
   * @param properties the properties the config was built from, to read the offending value
   * @param channelPrefix {@code grpc.client.channel.<name>}
   * @param loadBalancingPolicy the channel's {@code load-balancing-policy}, or null
   */
  static RuntimeException translate(InvalidServiceConfigException e, ServiceConfigProperties properties,
      String channelPrefix, @Nullable String loadBalancingPolicy) {
    String field = e.field();
    if (field.startsWith("loadBalancing")) {
      // The starter writes only the channel's load-balancing-policy there.
      return new InvalidConfigurationPropertyValueException(channelPrefix + ".load-balancing-policy",
          loadBalancingPolicy,
          "it " + e.reason() + ". Use a registered policy, such as pick_first or round_robin.");
    }
    StringBuilder beanPath = new StringBuilder();
    StringBuilder property = new StringBuilder(channelPrefix).append(".service-config");
    for (String segment : field.split("\\.")) {
      int bracket = segment.indexOf('[');
      String name = bracket < 0 ? segment : segment.substring(0, bracket);
      String index = bracket < 0 ? "" : segment.substring(bracket);
      name = RENAMED.getOrDefault(name, name);
      beanPath.append(beanPath.isEmpty() ? "" : ".").append(name).append(index);
      property.append('.').append(kebab(name)).append(index);
    }
    BeanWrapperImpl bean = new BeanWrapperImpl(properties);
    // Null when the path names nothing readable; the rule is then reported without a value.
    Class<?> type = bean.isReadableProperty(beanPath.toString())
        ? bean.getPropertyType(beanPath.toString()) : null;
    if (type == null || type.getEnclosingClass() == ServiceConfigProperties.class) {
      // A whole entry (two policies on one method, a repeated name): no single value to show.
      return new IllegalArgumentException(property + " " + e.reason(), e);
    }
    return new InvalidConfigurationPropertyValueException(property.toString(),
        bean.getPropertyValue(beanPath.toString()), "it " + e.reason());
  }

  private static String kebab(String camel) {
    StringBuilder b = new StringBuilder();
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        b.append('-').append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
