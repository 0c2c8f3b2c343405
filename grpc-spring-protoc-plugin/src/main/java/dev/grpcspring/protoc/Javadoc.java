package dev.grpcspring.protoc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Proto comments as Javadoc. Only leading comments count (detached comments, separated from the
 * element by a blank line, usually belong to something else). The text is kept as written inside
 * {@code <pre>}, and everything that would change its meaning inside a Java comment is escaped.
 */
final class Javadoc {
  // Field numbers in descriptor.proto, which make up SourceCodeInfo location paths.
  static final int FILE_SERVICE = 6;
  static final int SERVICE_METHOD = 2;

  private final Map<List<Integer>, String> leadingComments = new HashMap<>();

  Javadoc(FileDescriptorProto file) {
    for (SourceCodeInfo.Location location : file.getSourceCodeInfo().getLocationList()) {
      if (location.hasLeadingComments()) {
        leadingComments.putIfAbsent(location.getPathList(), location.getLeadingComments());
      }
    }
  }

  /** The leading comment of service {@code serviceIndex}, or "" when there is none. */
  String serviceComment(int serviceIndex) {
    return leadingComments.getOrDefault(List.of(FILE_SERVICE, serviceIndex), "");
  }

  /** The leading comment of a method, or "" when there is none. */
  String methodComment(int serviceIndex, int methodIndex) {
    return leadingComments.getOrDefault(
        List.of(FILE_SERVICE, serviceIndex, SERVICE_METHOD, methodIndex), "");
  }

  /**
   * A Javadoc block, indented by {@code indent}: the summary line, then the proto comment in a
   * {@code <pre>} block if there is one, then {@code @deprecated} with {@code deprecatedNote} when
   * that is not null.
   */
  static String block(String indent, String summary, String protoComment, String deprecatedNote) {
    List<String> lines = new ArrayList<>();
    lines.add(summary);
    List<String> commentLines = commentLines(protoComment);
    if (!commentLines.isEmpty()) {
      lines.add("<pre>");
      lines.addAll(commentLines);
      lines.add("</pre>");
    }
    if (deprecatedNote != null) {
      lines.add("");
      lines.add("@deprecated " + deprecatedNote);
    }
    StringBuilder sb = new StringBuilder();
    sb.append(indent).append("/**\n");
    for (String line : lines) {
      sb.append(indent).append(" *");
      if (!line.isEmpty()) {
        sb.append(' ').append(line);
      }
      sb.append('\n');
    }
    sb.append(indent).append(" */\n");
    return sb.toString();
  }

  /** The escaped lines of a proto comment, trailing blank lines dropped. */
  static List<String> commentLines(String protoComment) {
    List<String> lines = new ArrayList<>();
    for (String raw : protoComment.split("\r\n|\r|\n", -1)) {
      // protoc keeps the space after "//"; one leading space is layout, not content.
      String line = raw.startsWith(" ") ? raw.substring(1) : raw;
      lines.add(stripTrailing(escape(line)));
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    while (!lines.isEmpty() && lines.get(0).isEmpty()) {
      lines.remove(0);
    }
    return lines;
  }

  /**
   * Makes text safe inside a Javadoc comment: HTML specials become entities, {@code @} cannot
   * start a tag, {@code *}{@code /} cannot end the comment, a backslash cannot start a unicode
   * escape (javac reads those even in comments), and anything outside printable ASCII becomes a
   * numeric entity so the source stays ASCII whatever encoding javac assumes.
   */
  static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '@' -> sb.append("&#64;");
        case '\\' -> sb.append("&#92;");
        case '/' -> {
          // "*/" would close the comment; "/*" is harmless but looks like nesting.
          boolean afterStar = sb.length() > 0 && sb.charAt(sb.length() - 1) == '*';
          sb.append(afterStar ? "&#47;" : "/");
        }
        case '\t' -> sb.append("    ");
        default -> {
          if (cp >= 0x20 && cp < 0x7f) {
            sb.append((char) cp);
          } else if (cp > 0x7f) {
            sb.append("&#").append(cp).append(';');
          }
          // Other control characters are dropped: they have no place in Javadoc.
        }
      }
    }
    return sb.toString();
  }

  private static String stripTrailing(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') {
      end--;
    }
    return s.substring(0, end);
  }
}
