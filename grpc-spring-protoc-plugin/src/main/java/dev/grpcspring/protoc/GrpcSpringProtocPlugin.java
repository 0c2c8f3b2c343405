package dev.grpcspring.protoc;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.JavaFeaturesProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The protoc plugin: reads a {@code CodeGeneratorRequest} from stdin and writes a
 * {@code CodeGeneratorResponse} to stdout, with one {@code <Service>Grpc.java} per service of every
 * file protoc asks for. Wire it with the protobuf Maven plugin (a {@code jvm-maven} plugin with this
 * module's coordinates) next to protoc's own Java output.
 *
 * <p>When {@code <Service>Grpc} would collide with a class protoc writes into the same Java package
 * (a message or enum in its own file, or an outer class, of that name), the generated class is
 * named {@code <Service>Grpc_} instead.
 *
 * <p>Options (protoc's parameter) are grpc-java's plugin's; see {@link PluginOptions}. Warnings
 * about options it ignores go to stderr, which protoc shows.
 */
public final class GrpcSpringProtocPlugin {
  /** Written by the build into the jar (see the module's resources). */
  static final String VERSION = loadVersion();

  private GrpcSpringProtocPlugin() {}

  /** Runs the plugin on stdin and stdout; exits non-zero only when it cannot talk to protoc. */
  public static void main(String[] args) {
    try {
      CodeGeneratorResponse response = run(System.in, GrpcSpringProtocPlugin::warn);
      OutputStream out = System.out;
      response.writeTo(out);
      out.flush();
    } catch (IOException e) {
      System.err.println("grpc-spring-protoc-plugin: cannot exchange data with protoc: " + e);
      System.exit(1);
    }
  }

  /**
   * Reads one request from {@code in} (with Java features registered) and generates for it,
   * reporting ignored options to {@code warnings}.
   */
  static CodeGeneratorResponse run(InputStream in, Consumer<String> warnings) throws IOException {
    // DescriptorProtos must initialise before JavaFeaturesProto (see JavaNames).
    DescriptorProtos.getDescriptor();
    ExtensionRegistry registry = ExtensionRegistry.newInstance();
    JavaFeaturesProto.registerAllExtensions(registry);
    return generate(CodeGeneratorRequest.parseFrom(in, registry), warnings);
  }

  /**
   * The response for {@code request}: generated files, or an error message naming what is wrong
   * (protoc prints it and fails). Ignored options are reported on stderr.
   */
  public static CodeGeneratorResponse generate(CodeGeneratorRequest request) {
    return generate(request, GrpcSpringProtocPlugin::warn);
  }

  /**
   * The response for {@code request}, reporting each option it ignores to {@code warnings} (one
   * message per option, without a prefix).
   */
  public static CodeGeneratorResponse generate(CodeGeneratorRequest request,
      Consumer<String> warnings) {
    CodeGeneratorResponse.Builder response = CodeGeneratorResponse.newBuilder()
        .setSupportedFeatures(CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL_VALUE
            | CodeGeneratorResponse.Feature.FEATURE_SUPPORTS_EDITIONS_VALUE)
        .setMinimumEdition(Edition.EDITION_PROTO2_VALUE)
        .setMaximumEdition(Edition.EDITION_2024_VALUE);
    try {
      PluginOptions options = PluginOptions.parse(request.getParameter(), warnings);
      JavaNames names = new JavaNames(request.getProtoFileList());
      Map<String, Set<String>> classesByPackage = protocClassesByPackage(request);
      for (String fileName : request.getFileToGenerateList()) {
        FileDescriptorProto file = names.file(fileName);
        if (file == null) {
          throw new CodeGenerationException(
              "protoc asked for " + fileName + " but did not send its descriptor");
        }
        generateFile(file, names, options, classesByPackage, response);
      }
    } catch (CodeGenerationException e) {
      return response.clearFile().setError(e.getMessage()).build();
    }
    return response.build();
  }

  private static void generateFile(FileDescriptorProto file, JavaNames names,
      PluginOptions options, Map<String, Set<String>> classesByPackage, CodeGeneratorResponse.Builder response) {
    Javadoc docs = new Javadoc(file);
    String javaPackage = JavaNames.javaPackage(file);
    Set<String> taken = classesByPackage.computeIfAbsent(javaPackage, p -> new HashSet<>());
    for (int i = 0; i < file.getServiceCount(); i++) {
      String className = file.getService(i).getName() + "Grpc";
      while (taken.contains(className)) {
        className = className + "_";
      }
      taken.add(className);
      String source = new ServiceGenerator(file, i, className, names, docs, options).generate();
      String dir = javaPackage.isEmpty() ? "" : javaPackage.replace('.', '/') + "/";
      response.addFile(CodeGeneratorResponse.File.newBuilder()
          .setName(dir + className + ".java")
          .setContent(source));
    }
  }

  /** The top-level classes protoc's Java generator writes, per Java package, over every file. */
  private static Map<String, Set<String>> protocClassesByPackage(CodeGeneratorRequest request) {
    Map<String, Set<String>> result = new HashMap<>();
    for (FileDescriptorProto file : request.getProtoFileList()) {
      result.computeIfAbsent(JavaNames.javaPackage(file), p -> new HashSet<>())
          .addAll(JavaNames.topLevelClassNames(file));
    }
    return result;
  }

  private static void warn(String message) {
    System.err.println("grpc-spring-protoc-plugin: warning: " + message);
  }

  private static String loadVersion() {
    Properties properties = new Properties();
    try (InputStream in = GrpcSpringProtocPlugin.class.getResourceAsStream("plugin.properties")) {
      if (in == null) {
        throw new IllegalStateException("plugin.properties is missing from the plugin's jar;"
            + " rebuild grpc-spring-protoc-plugin");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the plugin's plugin.properties", e);
    }
    return properties.getProperty("version");
  }
}
