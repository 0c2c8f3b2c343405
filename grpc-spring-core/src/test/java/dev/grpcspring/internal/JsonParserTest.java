package dev.grpcspring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonParserTest {
  @Test
  void parsesIntoPlainJavaValues() {
    Object v = JsonParser.parse(
        "{\"s\": \"x\\u00e9\", \"i\": 3, \"big\": 123456789012, \"huge\": 1e400, \"f\": 1.5, \"t\": true,"
            + " \"n\": null, \"a\": [1, \"two\", [], {}], \"o\": {\"z\": 1, \"y\": 2}}");
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    assertThat(m.get("s")).isEqualTo("xé");
    assertThat(m.get("i")).isEqualTo(3L);
    assertThat(m.get("big")).isEqualTo(123456789012L);
    assertThat(m.get("f")).isEqualTo(1.5);
    assertThat(m.get("t")).isEqualTo(true);
    assertThat(m).containsKey("n");
    assertThat(m.get("n")).isNull();
    assertThat(m.get("a")).isEqualTo(Arrays.asList(1L, "two", List.of(), Map.of()));
    assertThat(List.copyOf(((Map<?, ?>) m.get("o")).keySet())).isEqualTo(List.of("z", "y"));
    assertThat(JsonParser.parse("  42 ")).isEqualTo(42L);
    assertThat(JsonParser.parse("18446744073709551616")).isEqualTo(1.8446744073709552E19);
  }

  @Test
  void rejectsMalformedInput() {
    assertThatThrownBy(() -> JsonParser.parse("")).hasMessageContaining("Empty JSON");
    assertThatThrownBy(() -> JsonParser.parse("{\"a\":}")).hasMessageContaining("Malformed JSON");
    assertThatThrownBy(() -> JsonParser.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("Duplicate");
    assertThatThrownBy(() -> JsonParser.parse("[1] 2")).hasMessageContaining("Unexpected content");
  }
}
