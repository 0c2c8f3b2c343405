package dev.grpcspring.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Parses JSON text into plain Java values with Jackson's streaming parser: objects become
 * unmodifiable {@code Map<String, ?>} (in document order), arrays unmodifiable {@code List<?>},
 * strings {@code String}, integers {@code Long} (or {@code Double} beyond long range), other
 * numbers {@code Double}, booleans {@code Boolean}, and null {@code null}. Duplicate keys are an
 * error, as in proto JSON.
 */
public final class JsonParser {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private JsonParser() {}

  /**
   * Parses one JSON value; JSON {@code null} gives null.
   *
   * @throws IllegalArgumentException on malformed JSON or trailing content, saying where
   */
  public static @Nullable Object parse(String json) {
    try (tools.jackson.core.JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new IllegalArgumentException("Empty JSON text");
      }
      Object value = read(p, first);
      if (p.nextToken() != null) {
        throw new IllegalArgumentException(
            "Unexpected content after the JSON value at " + p.currentTokenLocation().offsetDescription());
      }
      return value;
    } catch (JacksonException e) {
      throw new IllegalArgumentException("Malformed JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static @Nullable Object read(tools.jackson.core.JsonParser p, JsonToken token) {
    switch (token) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
          String name = p.currentName();
          map.put(name, read(p, p.nextToken()));
        }
        expect(t, JsonToken.END_OBJECT);
        return Collections.unmodifiableMap(map);
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
          list.add(read(p, t));
        }
        expect(t, JsonToken.END_ARRAY);
        return Collections.unmodifiableList(list);
      }
      case VALUE_STRING -> {
        return p.getString();
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT, LONG -> p.getLongValue();
          default -> p.getDoubleValue();
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IllegalArgumentException(
          "Unexpected JSON token " + token + " at " + p.currentTokenLocation().offsetDescription());
    }
  }

  private static void expect(JsonToken actual, JsonToken expected) {
    if (actual != expected) {
      throw new IllegalArgumentException("Malformed JSON: expected " + expected + ", got " + actual);
    }
  }
}
