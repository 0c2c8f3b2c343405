package dev.grpcspring.internal;

import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes the plain Java values {@link JsonParser} produces (maps, lists, strings, numbers,
 * booleans, null) back as JSON text with Jackson's streaming generator.
 */
public final class JsonWriter {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private JsonWriter() {}

  /**
   * The JSON text of {@code value}.
   *
   * @throws IllegalArgumentException for a value that is none of the JSON-like types, naming it
   */
  public static String write(@Nullable Object value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
      write(g, value);
    }
    return out.toString();
  }

  /** Writes {@code value} at the generator's current position. */
  public static void write(JsonGenerator g, @Nullable Object value) {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Integer || value instanceof Long) {
      g.writeNumber(((Number) value).longValue());
    } else if (value instanceof Number n) {
      g.writeNumber(n.doubleValue());
    } else if (value instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeName(String.valueOf(e.getKey()));
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) {
        write(g, o);
      }
      g.writeEndArray();
    } else {
      throw new IllegalArgumentException("Only JSON-like values (maps, lists, strings, numbers, "
          + "booleans) can be written as JSON, not " + value.getClass().getName());
    }
  }
}
