package dev.grpcspring.serviceconfig;

import java.util.Objects;

/**
 * A service config that breaks a rule, from {@link ServiceConfig#parse} or {@link
 * ServiceConfig.Builder#build}. Both report the same rule with the same message, which starts with
 * the offending field's path in the JSON form ({@code methodConfig[0].retryPolicy.maxAttempts});
 * {@link #field()} gives that path alone, so that callers holding the config in another form (such
 * as YAML properties) can name their own key.
 */
public final class InvalidServiceConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * @param field the path of the offending field, empty for the config as a whole
   * @param message the full message, starting with {@code field}
   */
  InvalidServiceConfigException(String field, String message) {
    super(message);
    this.field = field;
  }

  InvalidServiceConfigException(String field, String message, Throwable cause) {
    super(message, cause);
    this.field = field;
  }

  /** {@code field + " " + reason}: the usual shape of these messages. */
  static InvalidServiceConfigException at(String field, String reason) {
    return new InvalidServiceConfigException(field, field + " " + reason);
  }

  /**
   * The JSON path of the offending field ({@code methodConfig[0].timeout}, {@code
   * retryThrottling.maxTokens}), or empty when the problem is the config as a whole.
   */
  public String field() {
    return field;
  }

  /** The message without its leading {@link #field()}: what is wrong with that field. */
  public String reason() {
    // Both constructors take a message, so there always is one.
    String m = Objects.requireNonNull(getMessage(), "message");
    return !field.isEmpty() && m.startsWith(field) ? m.substring(field.length()).strip() : m;
  }
}
