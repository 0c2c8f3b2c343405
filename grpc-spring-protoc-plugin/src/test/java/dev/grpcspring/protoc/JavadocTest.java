package dev.grpcspring.protoc;

import static dev.grpcspring.protoc.Protos.file;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavadocTest {

  @Test
  void escapesHtml() {
    assertThat(Javadoc.escape("a < b && c > d")).isEqualTo("a &lt; b &amp;&amp; c &gt; d");
  }

  @Test
  void neutralisesCommentEndTagsAndUnicodeEscapes() {
    assertThat(Javadoc.escape("ends */ here")).isEqualTo("ends *&#47; here");
    assertThat(Javadoc.escape("a / b /* c")).isEqualTo("a / b /* c");
    assertThat(Javadoc.escape("@deprecated {@link X}")).isEqualTo("&#64;deprecated {&#64;link X}");
    assertThat(Javadoc.escape("path \\u000a")).isEqualTo("path &#92;u000a");
  }

  @Test
  void nonAsciiBecomesNumericEntities() {
    assertThat(Javadoc.escape("caf\u00e9 \uD83D\uDE00")).isEqualTo("caf&#233; &#128512;");
    assertThat(Javadoc.escape("tab\there\u0007")).isEqualTo("tab    here");
  }

  @Test
  void commentLinesDropTheLayoutSpaceAndBlankEdges() {
    assertThat(Javadoc.commentLines(" First line.\n  Indented.\n\n Last.\n\n"))
        .containsExactly("First line.", " Indented.", "", "Last.");
    assertThat(Javadoc.commentLines("")).isEmpty();
  }

  @Test
  void blockHasSummaryCommentAndDeprecation() {
    String block = Javadoc.block("  ", "Summary.", " Text <x>.\n", "Gone.");
    assertThat(block).isEqualTo("""
          /**
           * Summary.
           * <pre>
           * Text &lt;x&gt;.
           * </pre>
           *
           * @deprecated Gone.
           */
        """);
  }

  @Test
  void blockWithoutCommentHasNoPre() {
    assertThat(Javadoc.block("", "Summary.", "", null)).isEqualTo("/**\n * Summary.\n */\n");
  }

  @Test
  void usesLeadingCommentsOfServicesAndMethodsOnly() {
    SourceCodeInfo info = SourceCodeInfo.newBuilder()
        .addLocation(SourceCodeInfo.Location.newBuilder().addAllPath(List.of(6, 0))
            .setLeadingComments(" The service.\n")
            .addLeadingDetachedComments(" A detached comment.\n")
            .setTrailingComments(" trailing\n"))
        .addLocation(SourceCodeInfo.Location.newBuilder().addAllPath(List.of(6, 0, 2, 1))
            .setLeadingComments(" Second method.\n"))
        .addLocation(SourceCodeInfo.Location.newBuilder().addAllPath(List.of(6, 0, 2, 0))
            .setTrailingComments(" only trailing\n"))
        .build();
    Javadoc docs = new Javadoc(file("a.proto", "p").setSourceCodeInfo(info).build());

    assertThat(docs.serviceComment(0)).isEqualTo(" The service.\n");
    assertThat(docs.methodComment(0, 1)).isEqualTo(" Second method.\n");
    assertThat(docs.methodComment(0, 0)).isEmpty();
    assertThat(docs.serviceComment(1)).isEmpty();
  }
}
