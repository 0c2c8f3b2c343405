package dev.grpcspring.resolver;

import dev.grpcspring.internal.JsonParser;
import dev.grpcspring.internal.JsonWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Picks a service config from {@code _grpc_config.<host>} TXT records (gRFC A2). The first record
 * starting with {@code grpc_config=} counts; the rest of it is a JSON array of choices, and the
 * first choice that matches this client wins:
 *
 * <ul>
 *   <li>{@code clientLanguage}: a list of languages, compared case-insensitively with {@code java};
 *   <li>{@code percentage}: 0 to 100, matched when this client's number (0 to 99, drawn once per
 *       resolver) is below it;
 *   <li>{@code clientHostname}: a list of host names, one equal to this host's;
 *   <li>{@code serviceConfig}: the config, a JSON object.
 * </ul>
 *
 * A choice with any other field, or a field of the wrong type, makes the whole record invalid, as
 * in grpc-java: a config that says more than we understand is not applied by half.
 */
final class DnsServiceConfig {
  static final String TXT_PREFIX = "_grpc_config.";
  static final String ATTRIBUTE = "grpc_config=";
  private static final Set<String> FIELDS =
      Set.of("clientLanguage", "percentage", "clientHostname", "serviceConfig");

  private DnsServiceConfig() {}

  /**
   * The chosen service config as JSON, or null when no record carries {@code grpc_config=} or no
   * choice matches.
   *
   * @param percentile this client's number, 0 to 99
   * @param hostname this host's name, or null when unknown (then no {@code clientHostname} matches)
   * @throws IllegalArgumentException when the {@code grpc_config} record is malformed, saying how
   */
  static @Nullable String choose(
      List<String> txtRecords, int percentile, @Nullable String hostname) {
    String json = null;
    for (String record : txtRecords) {
      if (record.startsWith(ATTRIBUTE)) {
        json = record.substring(ATTRIBUTE.length());
        break;
      }
    }
    if (json == null) {
      return null;
    }
    if (!(JsonParser.parse(json) instanceof List<?> choices)) {
      throw new IllegalArgumentException("grpc_config must be a JSON array of choices");
    }
    String chosen = null;
    for (int i = 0; i < choices.size(); i++) {
      if (!(choices.get(i) instanceof Map<?, ?> choice)) {
        throw new IllegalArgumentException("grpc_config choice " + i + " is not a JSON object");
      }
      for (Object field : choice.keySet()) {
        if (!FIELDS.contains(field)) {
          throw new IllegalArgumentException("grpc_config choice " + i + " has unknown field '" + field
              + "'; known: " + FIELDS);
        }
      }
      if (!(choice.get("serviceConfig") instanceof Map<?, ?> config)) {
        throw new IllegalArgumentException("grpc_config choice " + i + " has no serviceConfig object");
      }
      if (chosen == null && matches(choice, i, percentile, hostname)) {
        chosen = JsonWriter.write(config);
      }
    }
    return chosen;
  }

  private static boolean matches(
      Map<?, ?> choice, int i, int percentile, @Nullable String hostname) {
    Object languages = choice.get("clientLanguage");
    if (languages != null) {
      boolean java = false;
      for (Object l : strings(languages, "clientLanguage", i)) {
        java |= ((String) l).toLowerCase(Locale.ROOT).equals("java");
      }
      if (!java) {
        return false;
      }
    }
    Object percentage = choice.get("percentage");
    if (percentage != null) {
      if (!(percentage instanceof Long p) || p < 0 || p > 100) {
        throw new IllegalArgumentException("grpc_config choice " + i
            + " has percentage " + percentage + "; expected a whole number from 0 to 100");
      }
      if (percentile >= p) {
        return false;
      }
    }
    Object hostnames = choice.get("clientHostname");
    if (hostnames != null) {
      return hostname != null && strings(hostnames, "clientHostname", i).contains(hostname);
    }
    return true;
  }

  private static List<?> strings(Object value, String field, int i) {
    if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      return list;
    }
    throw new IllegalArgumentException("grpc_config choice " + i + " has " + field
        + " " + value + "; expected a list of strings");
  }
}
