package dev.grpcspring.serviceconfig;

import dev.grpcspring.Code;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Typed, path-aware reads from a parsed JSON object (proto3 JSON rules: numbers may also come as
 * strings, durations as {@code "1.5s"}). Every error names the field's path in the config.
 */
final class JsonObject {
  private static final Pattern DURATION = Pattern.compile("(-)?(\\d+)(?:\\.(\\d{1,9}))?s");

  private final Map<String, ?> map;
  private final String path;

  private JsonObject(Map<String, ?> map, String path) {
    this.map = map;
    this.path = path;
  }

  /** {@code value} as an object, or an error naming {@code path}. */
  @SuppressWarnings("unchecked")
  static JsonObject of(@Nullable Object value, String path) {
    if (!(value instanceof Map)) {
      throw new InvalidServiceConfigException(path,
          (path.isEmpty() ? "The service config" : path) + " must be a JSON object, got " + describe(value));
    }
    return new JsonObject((Map<String, ?>) value, path);
  }

  Map<String, ?> raw() {
    return map;
  }

  String path() {
    return path;
  }

  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return map.get(key) != null;
  }

  @Nullable String string(String key) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw InvalidServiceConfigException.at(path(key), "must be a string, got " + describe(v));
    }
    return s;
  }

  @Nullable Boolean bool(String key) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Boolean b)) {
      throw InvalidServiceConfigException.at(path(key), "must be true or false, got " + describe(v));
    }
    return b;
  }

  /** An integer (a JSON number without fraction, or a string holding one); null when absent. */
  @Nullable Long integer(String key) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      return d >= 0x1p63 ? Long.MAX_VALUE : d < -0x1p63 ? Long.MIN_VALUE : d.longValue();
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.strip());
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw InvalidServiceConfigException.at(path(key), "must be an integer, got " + describe(v));
  }

  /** A number (or a string holding one); null when absent. */
  @Nullable Double number(String key) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      try {
        double d = Double.parseDouble(s.strip());
        if (Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw InvalidServiceConfigException.at(path(key), "must be a number, got " + describe(v));
  }

  /** A proto JSON Duration ({@code "1.5s"}, up to nanoseconds); null when absent. */
  @Nullable Duration duration(String key) {
    String s = string(key);
    if (s == null) {
      return null;
    }
    Matcher m = DURATION.matcher(s);
    if (!m.matches()) {
      throw InvalidServiceConfigException.at(path(key),
          "must be a duration like \"1.5s\" (seconds, up to 9 decimals), got \"" + s + "\"");
    }
    try {
      long seconds = Long.parseLong(m.group(2));
      String frac = m.group(3) == null ? "" : m.group(3);
      long nanos = frac.isEmpty() ? 0 : Long.parseLong((frac + "000000000").substring(0, 9));
      Duration d = Duration.ofSeconds(seconds, nanos);
      return m.group(1) != null ? d.negated() : d;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new InvalidServiceConfigException(path(key), path(key) + " is out of range: \"" + s + "\"", e);
    }
  }

  /** A list; null when absent. */
  @Nullable List<?> list(String key) {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof List<?> l)) {
      throw InvalidServiceConfigException.at(path(key), "must be a JSON array, got " + describe(v));
    }
    return l;
  }

  /** A nested object; null when absent. */
  @Nullable JsonObject object(String key) {
    Object v = map.get(key);
    return v == null ? null : of(v, path(key));
  }

  /** Status codes as names (any case) or numbers; null when absent. */
  @Nullable Set<Code> codes(String key) {
    List<?> list = list(key);
    if (list == null) {
      return null;
    }
    Set<Code> codes = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      codes.add(code(list.get(i), path(key) + "[" + i + "]"));
    }
    return Set.copyOf(codes);
  }

  private static Code code(Object v, String path) {
    if (v instanceof String s) {
      try {
        return Code.valueOf(s.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidServiceConfigException(path, path + " is not a status code name: \"" + s + "\"", e);
      }
    }
    Code byNumber = null;
    if (v instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE) {
      byNumber = Code.forValue(l.intValue());
    } else if (v instanceof Double d && d == Math.rint(d) && d >= 0 && d < 100) {
      byNumber = Code.forValue(d.intValue());
    }
    if (byNumber != null) {
      return byNumber;
    }
    throw InvalidServiceConfigException.at(path, "is not a status code: " + describe(v));
  }

  static String describe(@Nullable Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      return "\"" + s + "\"";
    }
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof List) {
      return "an array";
    }
    return String.valueOf(v);
  }
}
