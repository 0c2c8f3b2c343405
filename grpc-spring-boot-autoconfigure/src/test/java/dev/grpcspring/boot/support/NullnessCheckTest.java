package dev.grpcspring.boot.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The build's nullness check bites: javac, with the compiler arguments and processor paths of the
 * root pom's default-compile execution and the JVM flags of .mvn/jvm.config, rejects a nullness
 * violation in a {@code @NullMarked} package, and leaves unmarked packages and generated sources
 * alone. Goes red if the pom stops running NullAway on main code or weakens its options.
 */
class NullnessCheckTest {

  private static final String VIOLATION =
      "[NullAway] returning @Nullable expression from method with @NonNull return type";

  @Test
  void nullAwayRejectsAViolationInAMarkedPackageOnly(@TempDir Path dir) throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    Element execution = defaultCompile(root.resolve("pom.xml"));
    assertThat(texts(execution, "artifactId"))
        .as("annotation processor paths of default-compile")
        .contains("error_prone_core", "nullaway");
    List<String> compilerArgs = texts(execution, "arg");
    assertThat(compilerArgs).anySatisfy(a -> assertThat(a)
        .startsWith("-Xplugin:ErrorProne")
        .contains("-Xep:NullAway:ERROR", "-XepOpt:NullAway:OnlyNullMarked=true"));

    Path src = dir.resolve("src");
    write(src.resolve("marked/package-info.java"),
        "@org.jspecify.annotations.NullMarked package marked;");
    write(src.resolve("marked/Marked.java"),
        "package marked; class Marked { String name() { return null; } }");
    write(src.resolve("unmarked/Unmarked.java"),
        "package unmarked; class Unmarked { String name() { return null; } }");
    // As protoc output lands: in a marked package, yet excluded by -XepExcludedPaths.
    write(dir.resolve("target/generated-sources/protobuf/marked/Generated.java"),
        "package marked; class Generated { String name() { return null; } }");

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "javac").toString());
    for (String flag : Files.readAllLines(root.resolve(".mvn/jvm.config"))) {
      if (!flag.isBlank()) {
        command.add("-J" + flag.strip());
      }
    }
    // A short-lived compiler: the first JIT tier is enough, and keeps the test fast.
    command.add("-J-XX:TieredStopAtLevel=1");
    String classPath = System.getProperty("java.class.path");
    command.addAll(List.of("--release", "17", "-proc:none", "-d", dir.resolve("classes").toString(),
        "-cp", classPath, "-processorpath", classPath));
    command.addAll(compilerArgs);
    command.add(src.resolve("marked/package-info.java").toString());
    command.add(src.resolve("marked/Marked.java").toString());
    command.add(src.resolve("unmarked/Unmarked.java").toString());
    command.add(dir.resolve("target/generated-sources/protobuf/marked/Generated.java").toString());

    Process javac = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(javac.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(javac.exitValue()).as(output).isNotZero();
    assertThat(output).contains("Marked.java:1:").contains(VIOLATION)
        .doesNotContain("Unmarked.java").doesNotContain("Generated.java");
  }

  private static Element defaultCompile(Path pom) throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    NodeList plugins = doc.getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element plugin = (Element) plugins.item(i);
      if (!"maven-compiler-plugin".equals(child(plugin, "artifactId"))) {
        continue;
      }
      NodeList executions = plugin.getElementsByTagName("execution");
      for (int j = 0; j < executions.getLength(); j++) {
        Element execution = (Element) executions.item(j);
        if ("default-compile".equals(child(execution, "id"))) {
          return execution;
        }
      }
    }
    throw new AssertionError("no default-compile execution of maven-compiler-plugin in " + pom);
  }

  private static String child(Element element, String name) {
    for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e.getTextContent().strip();
      }
    }
    return null;
  }

  private static List<String> texts(Element element, String tag) {
    List<String> out = new ArrayList<>();
    NodeList nodes = element.getElementsByTagName(tag);
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add(nodes.item(i).getTextContent().strip());
    }
    return out;
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
