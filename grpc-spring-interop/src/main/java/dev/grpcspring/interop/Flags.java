package dev.grpcspring.interop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags in the interop tools' form, {@code --name=value}, checked against the names a
 * command knows so that a typo fails loudly instead of being ignored.
 */
final class Flags {
  private final Map<String, String> values;

  private Flags(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException naming the first argument that is malformed or unknown
   */
  static Flags parse(List<String> args, Set<String> known) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 3) {
        throw new IllegalArgumentException(
            "Arguments must look like --name=value; got '" + arg + "'");
      }
      String name = arg.substring(2, eq);
      if (!known.contains(name)) {
        throw new IllegalArgumentException(
            "Unknown flag --" + name + "; this command takes --" + String.join(", --", known));
      }
      values.put(name, arg.substring(eq + 1));
    }
    return new Flags(values);
  }

  String string(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  int port(String name, Integer defaultValue) {
    String value = values.get(name);
    if (value == null) {
      if (defaultValue == null) {
        throw new IllegalArgumentException("--" + name + " is required");
      }
      return defaultValue;
    }
    try {
      int port = Integer.parseInt(value);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException("out of range");
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + name + " must be a port number from 0 to 65535; got '" + value + "'");
    }
  }

  int integer(String name, int defaultValue, int min) {
    String value = values.get(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(value);
      if (n < min) {
        throw new NumberFormatException("below minimum");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + name + " must be a whole number of at least " + min + "; got '" + value + "'");
    }
  }

  boolean bool(String name, boolean defaultValue) {
    String value = values.get(name);
    if (value == null) {
      return defaultValue;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("--" + name + " must be true or false; got '" + value + "'");
  }
}
