package dev.grpcspring.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.testing.ApiBoundary;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The protocol layer stays apart from the transport: no Netty channel, pipeline or HTTP/2 type in
 * what it uses, and nothing of Netty but its byte buffers (the byte type of Marshaller and
 * Compressor too) in what it exposes. Nor does it reach into the transport, client or server.
 */
class ProtocolLayerTest {
  private static final List<String> ALLOWED_NETTY = List.of("io.netty.buffer", "io.netty.util");

  @Test
  void dependsOnNoTransportOrHttp2Code() throws Exception {
    // The package's class files, not the classes directory: that holds module-info.class, and
    // jdeps would then resolve the whole module and its requires.
    List<String> args = new ArrayList<>(
        List.of("-verbose:package", "-filter:none", "--ignore-missing-deps"));
    try (Stream<Path> files = Files.list(classesDir().resolve("dev/grpcspring/protocol"))) {
      files.filter(f -> f.toString().endsWith(".class")).forEach(f -> args.add(f.toString()));
    }
    String out = ApiBoundary.jdeps(args.toArray(String[]::new));
    TreeSet<String> targets = new TreeSet<>();
    for (String line : out.split("\\R")) {
      // "   dev.grpcspring.protocol   -> io.netty.buffer   not found"
      String t = line.trim();
      if (t.startsWith("dev.grpcspring.protocol ") && t.contains("->")) {
        targets.add(t.substring(t.indexOf("->") + 2).trim().split("\\s+")[0]);
      }
    }
    // Proves the output was read: the framer does use Netty's buffers.
    assertThat(targets).as("jdeps output: %s", out).contains("io.netty.buffer");
    for (String target : targets) {
      boolean ok = target.startsWith("java.") || target.equals("dev.grpcspring")
          || target.equals("dev.grpcspring.protocol") || target.equals("dev.grpcspring.codec")
          || ALLOWED_NETTY.contains(target)
          // Nullness annotations only: no code, nothing at run time.
          || target.equals("org.jspecify.annotations");
      assertThat(ok).as("dev.grpcspring.protocol depends on %s", target).isTrue();
    }
  }

  @Test
  void exposesNoNettyTypeButByteBuffers() throws Exception {
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.list(classesDir().resolve("dev/grpcspring/protocol"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (!name.endsWith(".class") || name.equals("package-info.class")) {
          continue;
        }
        Class<?> c = Class.forName("dev.grpcspring.protocol." + name.replace(".class", ""));
        if (!Modifier.isPublic(c.getModifiers())) {
          continue;
        }
        for (Method m : c.getDeclaredMethods()) {
          check(c, m, m.getGenericReturnType(), offenders);
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
          check(c, k, null, offenders);
        }
        for (Field fd : c.getDeclaredFields()) {
          if (Modifier.isPublic(fd.getModifiers()) && !allowed(fd.getGenericType())) {
            offenders.add(c.getSimpleName() + "." + fd.getName() + ": " + fd.getGenericType());
          }
        }
      }
    }
    assertThat(offenders).isEmpty();
  }

  private static void check(Class<?> c, Executable e, Type ret, List<String> offenders) {
    if (!Modifier.isPublic(e.getModifiers()) && !Modifier.isProtected(e.getModifiers())) {
      return;
    }
    if (ret != null && !allowed(ret)) {
      offenders.add(c.getSimpleName() + "." + e.getName() + " returns " + ret);
    }
    for (Type p : e.getGenericParameterTypes()) {
      if (!allowed(p)) {
        offenders.add(c.getSimpleName() + "." + e.getName() + " takes " + p);
      }
    }
  }

  private static boolean allowed(Type t) {
    String s = t.getTypeName();
    return !s.contains("io.netty.") || s.replace("io.netty.buffer.", "").indexOf("io.netty.") < 0;
  }

  private static Path classesDir() throws URISyntaxException {
    return Path.of(MessageFramer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
