package dev.grpcspring.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code --name=value} options of one subcommand. Every option must be read: {@link
 * #checkAllUsed()} rejects leftovers, so a typo fails loudly instead of silently running with a
 * default.
 */
public final class Options {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, Boolean> used = new LinkedHashMap<>();

  private Options() {}

  /** Parses {@code --name=value} and bare {@code --flag} (value "true") arguments. */
  public static Options parse(String[] args, int from) {
    Options options = new Options();
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new IllegalArgumentException(
            "Unexpected argument '" + arg + "': options are written --name=value");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      String value = eq < 0 ? "true" : arg.substring(eq + 1);
      options.values.put(name, value);
      options.used.put(name, false);
    }
    return options;
  }

  /** The value of {@code --name}, or {@code defaultValue} when it was not given. */
  public String string(String name, String defaultValue) {
    used.replace(name, true);
    return values.getOrDefault(name, defaultValue);
  }

  /** The value of {@code --name}; fails with a usage message when it was not given. */
  public String required(String name) {
    String value = string(name, null);
    if (value == null) {
      throw new IllegalArgumentException("Missing option --" + name);
    }
    return value;
  }

  public int integer(String name, int defaultValue) {
    String value = string(name, null);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be an integer, got '" + value + "'");
    }
  }

  public boolean flag(String name) {
    return Boolean.parseBoolean(string(name, "false"));
  }

  /** A duration written {@code 15s}, {@code 500ms}, {@code 2m} or plain seconds ({@code 15}). */
  public Duration duration(String name, Duration defaultValue) {
    String value = string(name, null);
    return value == null ? defaultValue : parseDuration(name, value);
  }

  static Duration parseDuration(String name, String value) {
    Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--" + name + " must be a duration such as 15s, 500ms or 2m, got '" + value + "'");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    switch (unit) {
      case "ms":
        return Duration.ofMillis(amount);
      case "m":
        return Duration.ofMinutes(amount);
      default:
        return Duration.ofSeconds(amount);
    }
  }

  /** Writes a duration the way {@link #duration} reads it. */
  public static String format(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  /** Fails when an option was given that the subcommand never asked for. */
  public void checkAllUsed() {
    for (Map.Entry<String, Boolean> e : used.entrySet()) {
      if (!e.getValue()) {
        throw new IllegalArgumentException("Unknown option --" + e.getKey());
      }
    }
  }
}
