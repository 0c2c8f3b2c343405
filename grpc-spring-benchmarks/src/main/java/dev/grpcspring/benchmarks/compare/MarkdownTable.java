package dev.grpcspring.benchmarks.compare;

import java.util.List;

/** Renders rows of cells as an aligned Markdown table; the first row is the header. */
final class MarkdownTable {
  private MarkdownTable() {}

  static String render(List<String[]> lines) {
    int columns = lines.get(0).length;
    int[] widths = new int[columns];
    for (String[] line : lines) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], line[c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int l = 0; l < lines.size(); l++) {
      appendLine(sb, lines.get(l), widths);
      if (l == 0) {
        String[] rule = new String[columns];
        for (int c = 0; c < columns; c++) {
          rule[c] = "-".repeat(Math.max(3, widths[c]));
        }
        appendLine(sb, rule, widths);
      }
    }
    return sb.toString();
  }

  private static void appendLine(StringBuilder sb, String[] cells, int[] widths) {
    sb.append('|');
    for (int c = 0; c < cells.length; c++) {
      sb.append(' ').append(cells[c]);
      sb.append(" ".repeat(widths[c] - cells[c].length())).append(" |");
    }
    sb.append('\n');
  }
}
