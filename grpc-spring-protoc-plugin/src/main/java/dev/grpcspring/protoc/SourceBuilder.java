package dev.grpcspring.protoc;

/** Java source text with two-space indentation and {@code \n} line ends. */
final class SourceBuilder {
  private final StringBuilder sb = new StringBuilder(8192);
  private String indent = "";

  /** Appends one line at the current indentation (an empty line stays empty). */
  SourceBuilder line(String text) {
    if (!text.isEmpty()) {
      sb.append(indent).append(text);
    }
    sb.append('\n');
    return this;
  }

  /** Appends an empty line. */
  SourceBuilder blank() {
    sb.append('\n');
    return this;
  }

  /** Appends text that is already indented and ends with a line break (a Javadoc block). */
  SourceBuilder raw(String text) {
    sb.append(text);
    return this;
  }

  /** The current indentation, for blocks built elsewhere. */
  String indentation() {
    return indent;
  }

  SourceBuilder in() {
    indent = indent + "  ";
    return this;
  }

  SourceBuilder out() {
    if (indent.isEmpty()) {
      throw new IllegalStateException("Unbalanced indentation in generated source");
    }
    indent = indent.substring(2);
    return this;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
