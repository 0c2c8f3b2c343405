package dev.grpcspring.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The boot-parent consumer project builds README's Quick Start exactly: its two marked XML blocks
 * are the Quick Start's starter dependency and protobuf plugin blocks, line for line (indentation
 * aside), with the project version where the project has {@code @project.version@}.
 */
class ConsumerProjectsTest {
  private static final Pattern XML_BLOCK = Pattern.compile("```xml\n(.*?)```", Pattern.DOTALL);

  @Test
  void bootParentProjectIsReadmesQuickStartAsPasted() throws IOException {
    String readme = Files.readString(Path.of(System.getProperty("readme")));
    int quickStart = readme.indexOf("## Quick start with Spring Boot");
    assertThat(quickStart).as("README has a Quick start section").isNotNegative();
    // Step 1 is the block that adds the starter, step 2 the one that configures the protobuf plugin.
    List<String> readmeBlocks = new ArrayList<>(List.of("", ""));
    Matcher m = XML_BLOCK.matcher(readme).region(quickStart, readme.length());
    while (m.find()) {
      String block = normalize(m.group(1).replace(System.getProperty("project.version"),
          "@project.version@"));
      int step = block.startsWith("<dependency>")
          && block.contains("<artifactId>grpc-spring-boot-starter</artifactId>") ? 1
          : block.startsWith("<plugin>")
              && block.contains("<artifactId>protobuf-maven-plugin</artifactId>") ? 2 : 0;
      if (step > 0 && readmeBlocks.get(step - 1).isEmpty()) {
        readmeBlocks.set(step - 1, block);
      }
    }
    assertThat(readmeBlocks).as("README's Quick Start blocks").doesNotContain("");

    String pom = Files.readString(Path.of(System.getProperty("projects"), "boot-parent", "pom.xml"));
    for (int step = 1; step <= 2; step++) {
      String begin = "<!-- README Quick Start, step " + step + " -->";
      String end = "<!-- end of step " + step + " -->";
      int from = pom.indexOf(begin);
      int to = pom.indexOf(end);
      assertThat(from).as("marker %s", begin).isNotNegative();
      assertThat(to).as("marker %s", end).isGreaterThan(from);
      assertThat(normalize(pom.substring(from + begin.length(), to)))
          .as("step %d of README's Quick Start", step)
          .isEqualTo(readmeBlocks.get(step - 1));
    }
  }

  private static String normalize(String xml) {
    return xml.lines().map(String::strip).filter(l -> !l.isEmpty())
        .collect(Collectors.joining("\n"));
  }
}
