package dev.grpcspring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.core.io.ClassPathResource;

/** The generated configuration metadata documents every property, as IDEs show it. */
class ConfigurationMetadataTest {

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> properties() throws IOException {
    try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json")
        .getInputStream()) {
      Map<String, Object> json = JsonParserFactory.getJsonParser()
          .parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return (List<Map<String, Object>>) json.get("properties");
    }
  }

  @Test
  void everyPropertyHasADescriptionInBootStyle() throws IOException {
    List<Map<String, Object>> properties = properties();
    assertThat(properties).extracting(p -> p.get("name")).contains(
        "grpc.server.port", "grpc.server.address", "grpc.server.enabled",
        "grpc.server.inbound.message.max-size", "grpc.server.inbound.metadata.max-size",
        "grpc.server.max-concurrent-streams", "grpc.server.connection-setup-timeout",
        "grpc.server.flow-control-window", "grpc.server.shutdown.grace-period",
        "grpc.server.event-loop-threads",
        "grpc.server.executor.direct", "grpc.server.executor.threads",
        "grpc.server.health.actuator.exclude", "grpc.client.enabled", "grpc.client.channel",
        "grpc.server.keepalive.time", "grpc.server.keepalive.timeout",
        "grpc.server.keepalive.permit.time", "grpc.server.keepalive.permit.without-calls",
        "grpc.server.keepalive.connection.max-idle-time", "grpc.server.keepalive.connection.max-age",
        "grpc.server.keepalive.connection.grace-period", "grpc.server.security.enabled",
        "grpc.server.security.default-access", "grpc.server.security.permit-all",
        "grpc.server.security.rules");
    for (Map<String, Object> p : properties) {
      String description = (String) p.get("description");
      assertThat(description).as("description of %s", p.get("name")).isNotBlank();
      assertThat(description).as("description of %s", p.get("name"))
          .doesNotStartWith("The ").doesNotStartWith("A ");
      if ("java.lang.Boolean".equals(p.get("type"))) {
        assertThat(description).as("description of %s", p.get("name")).startsWith("Whether");
      }
    }
  }

  @Test
  void defaultsAreRecorded() throws IOException {
    Map<Object, Object> defaults = new java.util.HashMap<>();
    for (Map<String, Object> p : properties()) {
      defaults.put(p.get("name"), p.get("defaultValue"));
    }
    assertThat(((Number) defaults.get("grpc.server.port")).intValue()).isEqualTo(9090);
    assertThat(defaults.get("grpc.server.inbound.message.max-size")).isEqualTo("4MB");
    // Declared once in the common package for server and channels, still documented here.
    assertThat(defaults.get("grpc.server.inbound.metadata.max-size")).isEqualTo("8KB");
    assertThat(defaults.get("grpc.server.shutdown.grace-period")).isEqualTo("30s");
    assertThat(defaults.get("grpc.server.keepalive.time")).isEqualTo("2h");
    assertThat(defaults.get("grpc.server.keepalive.permit.time")).isEqualTo("5m");
    // A list default, which the annotation processor cannot read from the field initializer.
    assertThat(defaults.get("grpc.server.health.actuator.exclude"))
        .isEqualTo(List.of("grpcChannels"));
    assertThat(defaults.get("grpc.server.security.permit-all")).isEqualTo(List.of(
        "grpc.health.v1.Health/*", "grpc.reflection.v1.ServerReflection/*",
        "grpc.reflection.v1alpha.ServerReflection/*"));
    assertThat(defaults.get("grpc.server.security.default-access")).isEqualTo("authenticated");
  }
}
