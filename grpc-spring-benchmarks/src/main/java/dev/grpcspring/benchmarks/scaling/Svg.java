package dev.grpcspring.benchmarks.scaling;

import java.util.List;
import java.util.Locale;

/** Pieces of SVG shared by the charts: text escaping, numbers, and the series colours. */
final class Svg {
  /** One colour per series, in order; ours is drawn first and thicker. */
  static final List<String> COLOURS = List.of("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e",
      "#9467bd", "#8c564b", "#e377c2", "#7f7f7f");

  private Svg() {}

  static String colour(int series) {
    return COLOURS.get(series % COLOURS.size());
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** A coordinate with one decimal, '.' in every locale. */
  static String n(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  static void header(StringBuilder sb, int width, int height, String title) {
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
        .append(' ').append(height).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
    sb.append("<title>").append(escape(title)).append("</title>\n");
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(sb, width / 2.0, 22, "middle", "font-size=\"15\" font-weight=\"bold\"", title);
  }

  static void text(StringBuilder sb, double x, double y, String anchor, String extra,
      String text) {
    sb.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y))
        .append("\" text-anchor=\"").append(anchor).append('"')
        .append(extra.isEmpty() ? "" : " " + extra).append('>').append(escape(text))
        .append("</text>\n");
  }

  static void line(StringBuilder sb, double x1, double y1, double x2, double y2, String style) {
    sb.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"")
        .append(n(x2)).append("\" y2=\"").append(n(y2)).append("\" ").append(style).append("/>\n");
  }
}
