package dev.grpcspring.benchmarks.scaling;

import java.util.Locale;

/** How the charts and the table write numbers: short, with the unit a reader expects. */
final class Units {
  private Units() {}

  /** {@code 10 B}, {@code 16 KiB}, {@code 4 MiB}, {@code 1.5 KiB}. */
  static String bytes(double bytes) {
    if (Double.isNaN(bytes)) {
      return "-";
    }
    double abs = Math.abs(bytes);
    if (abs >= 1024 * 1024) {
      return trim(bytes / (1024.0 * 1024.0)) + " MiB";
    }
    if (abs >= 1024) {
      return trim(bytes / 1024.0) + " KiB";
    }
    return trim(bytes) + " B";
  }

  /** {@code 1}, {@code 100}, {@code 10k}, {@code 1.2M}: counts and rates. */
  static String count(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    double abs = Math.abs(value);
    if (abs >= 1e6) {
      return trim(value / 1e6) + "M";
    }
    if (abs >= 1e3) {
      return trim(value / 1e3) + "k";
    }
    return trim(value);
  }

  /** A latency given in microseconds: {@code 85 µs}, {@code 1.2 ms}, {@code 2 s}. */
  static String micros(double micros) {
    if (Double.isNaN(micros)) {
      return "-";
    }
    if (micros >= 1e6) {
      return trim(micros / 1e6) + " s";
    }
    if (micros >= 1e3) {
      return trim(micros / 1e3) + " ms";
    }
    return trim(micros) + " µs";
  }

  /** Three significant digits at most, no trailing zeros. */
  static String trim(double value) {
    double abs = Math.abs(value);
    String s;
    if (abs >= 100 || value == Math.rint(value)) {
      s = String.format(Locale.ROOT, "%.0f", value);
    } else if (abs >= 10) {
      s = String.format(Locale.ROOT, "%.1f", value);
    } else {
      s = String.format(Locale.ROOT, "%.2f", value);
    }
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }
}
