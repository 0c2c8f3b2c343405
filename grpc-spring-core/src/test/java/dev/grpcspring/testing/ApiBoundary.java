package dev.grpcspring.testing;

import dev.grpcspring.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks that a module's compiled classes use grpc-spring-core only through the packages core's
 * {@code module-info} exports. The other modules run on the class path, where nothing enforces
 * the module's exports, so each of them has a test that calls {@link #assertUsesOnlyApi(Class)}.
 */
public final class ApiBoundary {
  /** A jdeps {@code -verbose:class} line: {@code   from.Class   -> to.Class   where}. */
  private static final Pattern DEPENDENCY = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s.*$");

  private ApiBoundary() {}

  /** Core's module descriptor, read from the jar or directory that holds core's classes. */
  public static ModuleDescriptor coreModule() {
    Path root = classesRoot(Status.class);
    try {
      // javac does not record the module's packages in module-info.class (the jar tool may):
      // they come from the class files beside it.
      if (Files.isDirectory(root)) {
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
          files.filter(f -> f.toString().endsWith(".class"))
              .forEach(f -> packages.add(packageOfEntry(root.relativize(f).toString())));
        }
        packages.remove("");
        try (InputStream in = Files.newInputStream(root.resolve("module-info.class"))) {
          return ModuleDescriptor.read(in, () -> packages);
        }
      }
      try (JarFile jar = new JarFile(root.toFile())) {
        Set<String> packages = jar.stream().map(JarEntry::getName)
            .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
            .map(ApiBoundary::packageOfEntry)
            .filter(p -> !p.isEmpty())
            .collect(Collectors.toCollection(TreeSet::new));
        try (InputStream in = jar.getInputStream(jar.getEntry("module-info.class"))) {
          return ModuleDescriptor.read(in, () -> packages);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read core's module-info.class from " + root, e);
    }
  }

  /** The packages core exports to everyone: its API. */
  public static Set<String> exportedPackages() {
    return coreModule().exports().stream()
        .filter(e -> !e.isQualified())
        .map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Core's packages that are not exported: what no other module may reference. */
  public static Set<String> hiddenPackages() {
    ModuleDescriptor core = coreModule();
    Set<String> hidden = new TreeSet<>(core.packages());
    hidden.removeAll(exportedPackages());
    return hidden;
  }

  /**
   * Fails, naming each class and the package it reaches into, if any class compiled from the
   * main sources of {@code anchor}'s module references a core package that is not exported.
   *
   * @param anchor any class of the module's main code, to find its classes directory or jar
   */
  public static void assertUsesOnlyApi(Class<?> anchor) {
    List<String> violations = violations(classesRoot(anchor));
    if (!violations.isEmpty()) {
      throw new AssertionError("Code of " + classesRoot(anchor) + " uses grpc-spring-core"
          + " packages that the module dev.grpcspring does not export (use the API, or export"
          + " the package in core's module-info.java):\n  " + String.join("\n  ", violations));
    }
  }

  /** Each dependency of the classes under {@code classes} on a hidden core package. */
  static List<String> violations(Path classes) {
    Set<String> hidden = hiddenPackages();
    // Only core's packages matter, and no class path is needed for that: the targets are named
    // whether jdeps finds them or not.
    String report = jdeps("-verbose:class", "-e", "dev\\.grpcspring\\..*", classes.toString());
    List<String> violations = new ArrayList<>();
    for (String line : report.split("\\R")) {
      Matcher m = DEPENDENCY.matcher(line);
      if (m.matches() && hidden.contains(packageOf(m.group(2)))) {
        violations.add(m.group(1) + " -> " + m.group(2) + " (package " + packageOf(m.group(2))
            + " is not exported)");
      }
    }
    return violations;
  }

  /** Runs the JDK's jdeps with {@code args} and returns what it printed; fails if jdeps fails. */
  public static String jdeps(String... args) {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps")
        .orElseThrow(() -> new IllegalStateException("jdeps is not in this JDK"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      rc = jdeps.run(o, e, args);
    }
    if (rc != 0) {
      throw new IllegalStateException("jdeps " + String.join(" ", args) + " failed (" + rc + "): "
          + err.toString(StandardCharsets.UTF_8));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The package of a class file's path relative to its root: {@code a/b/C.class} is {@code a.b}. */
  private static String packageOfEntry(String path) {
    String p = path.replace('\\', '/');
    int slash = p.lastIndexOf('/');
    return slash < 0 ? "" : p.substring(0, slash).replace('/', '.');
  }

  private static String packageOf(String className) {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? "" : className.substring(0, dot);
  }

  private static Path classesRoot(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Cannot locate the classes of " + c, e);
    }
  }
}
