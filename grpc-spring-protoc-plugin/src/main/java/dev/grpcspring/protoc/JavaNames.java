package dev.grpcspring.protoc;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FeatureSet;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.JavaFeaturesProto;
import com.google.protobuf.JavaFeaturesProto.JavaFeatures.NestInFileClassFeature.NestInFileClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Java names for proto elements, computed the way protoc's Java generator computes them, so that
 * generated service code refers to the message classes protoc writes.
 *
 * <p>The rules it follows: the Java package is {@code java_package}, else the proto package; the
 * outer (file) class is {@code java_outer_classname}, else the file's base name in UpperCamelCase
 * ({@code foo_bar.proto} becomes {@code FooBar}), with {@code OuterClass} appended when a message,
 * enum or service of the file (at any nesting depth for messages) has exactly that name. From
 * edition 2024 on, the default outer class name gets a {@code Proto} suffix instead (unless the
 * {@code use_old_outer_classname_default} Java feature says otherwise) and the
 * {@code nest_in_file_class} feature replaces {@code java_multiple_files}. A message that is not in
 * its own file is nested in the outer class; nested messages are nested in their parents.
 */
final class JavaNames {
  /** Java keywords, literals and restricted identifiers, which cannot name a method. */
  static final Set<String> JAVA_RESERVED = Set.of(
      "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
      "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally",
      "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface",
      "long", "native", "new", "package", "private", "protected", "public", "return", "short",
      "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws",
      "transient", "try", "void", "volatile", "while", "true", "false", "null", "_", "var",
      "yield", "record", "sealed", "permits");

  /**
   * Names a generated method must not take: {@link Object}'s methods and the methods generated
   * classes declare or inherit (ImplBase, AbstractStub and the service class's statics).
   */
  static final Set<String> GENERATED_OR_INHERITED = Set.of(
      "getClass", "hashCode", "equals", "toString", "clone", "finalize", "notify", "notifyAll",
      "wait", "bindService", "getServiceDescriptor", "build", "getChannel", "getCallOptions",
      "withDeadline", "withDeadlineAfter", "withCompression", "withWaitForReady", "withExecutor",
      "withMaxInboundMessageSize", "withMaxOutboundMessageSize", "withOption", "withInterceptors",
      "newStub", "newBlockingStub", "newFutureStub");

  private static final String OUTER_CLASS_SUFFIX = "OuterClass";

  static {
    // protobuf-java 4.36 fails to initialise JavaFeaturesProto if it is touched before
    // DescriptorProtos (whose static initialiser then reads the half-built Java features).
    DescriptorProtos.getDescriptor();
  }

  private final Map<String, FileDescriptorProto> filesByName = new HashMap<>();
  /** Fully qualified proto type name (leading dot) to the Java class name. */
  private final Map<String, String> messageClassNames = new HashMap<>();

  JavaNames(List<FileDescriptorProto> allFiles) {
    for (FileDescriptorProto file : allFiles) {
      filesByName.put(file.getName(), file);
    }
    for (FileDescriptorProto file : allFiles) {
      String protoPrefix = file.getPackage().isEmpty() ? "." : "." + file.getPackage() + ".";
      for (DescriptorProto message : file.getMessageTypeList()) {
        indexMessage(file, message, List.of(message), protoPrefix, message.getName());
      }
    }
  }

  private void indexMessage(FileDescriptorProto file, DescriptorProto message,
      List<DescriptorProto> lineage, String protoPrefix, String nameInFile) {
    boolean ownFile = !nestInFileClass(file, lineage);
    String container = ownFile ? javaPackage(file) : outerClassName(file);
    messageClassNames.put(protoPrefix + nameInFile, join(container, nameInFile));
    for (DescriptorProto nested : message.getNestedTypeList()) {
      List<DescriptorProto> nestedLineage = new ArrayList<>(lineage);
      nestedLineage.add(nested);
      indexMessage(file, nested, nestedLineage, protoPrefix, nameInFile + "." + nested.getName());
    }
  }

  /**
   * The Java class of a message, from its fully qualified proto name ({@code .pkg.Outer.Inner},
   * as method input and output types appear in descriptors).
   *
   * @throws CodeGenerationException if no file of the request declares the type
   */
  String messageClassName(String protoTypeName) {
    String key = protoTypeName.startsWith(".") ? protoTypeName : "." + protoTypeName;
    String name = messageClassNames.get(key);
    if (name == null) {
      throw new CodeGenerationException("Message type " + protoTypeName
          + " is not declared in any file protoc passed to the plugin; check the imports");
    }
    return name;
  }

  /** The Java package of a file's classes: {@code java_package}, else the proto package. */
  static String javaPackage(FileDescriptorProto file) {
    if (file.getOptions().hasJavaPackage()) {
      return file.getOptions().getJavaPackage();
    }
    return file.getPackage();
  }

  /** The fully qualified name of the file's outer class (the one with {@code getDescriptor()}). */
  static String outerClassName(FileDescriptorProto file) {
    return join(javaPackage(file), outerClassSimpleName(file));
  }

  /** The simple name of the file's outer class. */
  static String outerClassSimpleName(FileDescriptorProto file) {
    if (file.getOptions().hasJavaOuterClassname()) {
      return file.getOptions().getJavaOuterClassname();
    }
    String base = file.getName();
    int slash = base.lastIndexOf('/');
    if (slash >= 0) {
      base = base.substring(slash + 1);
    }
    if (base.endsWith(".protodevel")) {
      base = base.substring(0, base.length() - ".protodevel".length());
    } else if (base.endsWith(".proto")) {
      base = base.substring(0, base.length() - ".proto".length());
    }
    String name = underscoresToCamelCase(base, true);
    if (!useOldOuterClassnameDefault(file)) {
      return name + "Proto";
    }
    return hasTypeNamed(file, name) ? name + OUTER_CLASS_SUFFIX : name;
  }

  /** Whether a message (any depth), enum (any depth) or service of the file is named {@code name}. */
  static boolean hasTypeNamed(FileDescriptorProto file, String name) {
    for (EnumDescriptorProto e : file.getEnumTypeList()) {
      if (e.getName().equals(name)) {
        return true;
      }
    }
    for (ServiceDescriptorProto s : file.getServiceList()) {
      if (s.getName().equals(name)) {
        return true;
      }
    }
    for (DescriptorProto m : file.getMessageTypeList()) {
      if (messageHasTypeNamed(m, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean messageHasTypeNamed(DescriptorProto message, String name) {
    if (message.getName().equals(name)) {
      return true;
    }
    for (EnumDescriptorProto e : message.getEnumTypeList()) {
      if (e.getName().equals(name)) {
        return true;
      }
    }
    for (DescriptorProto nested : message.getNestedTypeList()) {
      if (messageHasTypeNamed(nested, name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The simple names of the top-level classes protoc writes into the file's Java package: the outer
   * class, plus every top-level message and enum that gets its own file.
   */
  static List<String> topLevelClassNames(FileDescriptorProto file) {
    List<String> names = new ArrayList<>();
    names.add(outerClassSimpleName(file));
    for (DescriptorProto m : file.getMessageTypeList()) {
      if (!nestInFileClass(file, List.of(m))) {
        names.add(m.getName());
      }
    }
    boolean enumsOwnFile = !nestInFileClass(file, List.of());
    for (EnumDescriptorProto e : file.getEnumTypeList()) {
      JavaFeaturesProto.JavaFeatures f = javaFeatures(e.getOptions().getFeatures());
      boolean own = f.hasNestInFileClass() ? f.getNestInFileClass() == NestInFileClass.NO
          : enumsOwnFile;
      if (own) {
        names.add(e.getName());
      }
    }
    return names;
  }

  /** The files protoc passed, by name. */
  FileDescriptorProto file(String name) {
    return filesByName.get(name);
  }

  // --- editions ---

  static boolean isEdition2024OrLater(FileDescriptorProto file) {
    return "editions".equals(file.getSyntax())
        && file.getEdition().getNumber() >= Edition.EDITION_2024.getNumber();
  }

  private static boolean useOldOuterClassnameDefault(FileDescriptorProto file) {
    if (!isEdition2024OrLater(file)) {
      return true;
    }
    JavaFeaturesProto.JavaFeatures f = javaFeatures(file.getOptions().getFeatures());
    return f.hasUseOldOuterClassnameDefault() && f.getUseOldOuterClassnameDefault();
  }

  /**
   * Whether the message at the end of {@code lineage} (top-level message first) is nested in the
   * outer class. The innermost explicit {@code nest_in_file_class} wins; LEGACY (the default before
   * edition 2024) means "unless java_multiple_files"; edition 2024 defaults to NO.
   */
  private static boolean nestInFileClass(FileDescriptorProto file, List<DescriptorProto> lineage) {
    NestInFileClass value = null;
    for (int i = lineage.size() - 1; i >= 0 && value == null; i--) {
      JavaFeaturesProto.JavaFeatures f = javaFeatures(lineage.get(i).getOptions().getFeatures());
      if (f.hasNestInFileClass()) {
        value = f.getNestInFileClass();
      }
    }
    if (value == null) {
      JavaFeaturesProto.JavaFeatures f = javaFeatures(file.getOptions().getFeatures());
      if (f.hasNestInFileClass()) {
        value = f.getNestInFileClass();
      }
    }
    if (value == null || value == NestInFileClass.NEST_IN_FILE_CLASS_UNKNOWN) {
      value = isEdition2024OrLater(file) ? NestInFileClass.NO : NestInFileClass.LEGACY;
    }
    if (value == NestInFileClass.LEGACY) {
      return !file.getOptions().getJavaMultipleFiles();
    }
    return value == NestInFileClass.YES;
  }

  private static JavaFeaturesProto.JavaFeatures javaFeatures(FeatureSet features) {
    // Present only when the request was parsed with JavaFeaturesProto's extension registered.
    return features.getExtension(JavaFeaturesProto.java_);
  }

  // --- identifiers ---

  /**
   * protoc's camel-casing: underscores and other non-alphanumerics are dropped and capitalise the
   * next letter, digits capitalise the next letter, capitals after the first character stay, and
   * the first letter is upper-cased when {@code capitalizeFirst}, else lower-cased.
   */
  static String underscoresToCamelCase(String input, boolean capitalizeFirst) {
    StringBuilder sb = new StringBuilder(input.length());
    boolean capNext = capitalizeFirst;
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c >= 'a' && c <= 'z') {
        sb.append(capNext ? (char) (c - 'a' + 'A') : c);
        capNext = false;
      } else if (c >= 'A' && c <= 'Z') {
        sb.append(i == 0 && !capNext ? (char) (c - 'A' + 'a') : c);
        capNext = false;
      } else if (c >= '0' && c <= '9') {
        sb.append(c);
        capNext = true;
      } else {
        capNext = true;
      }
    }
    return sb.toString();
  }

  /**
   * The Java method name for an RPC: lowerCamelCase of the proto name. A name that is a Java
   * keyword, an {@link Object} method, or a name the generated classes declare or inherit (for
   * example {@code bindService}, {@code getChannel}, {@code build}, {@code withDeadline}) gets a
   * trailing underscore: rpc {@code Class} becomes {@code class_()}, rpc {@code BindService}
   * becomes {@code bindService_()}.
   */
  static String methodName(String protoMethodName) {
    String name = underscoresToCamelCase(protoMethodName, false);
    if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
      name = "_" + name;
    }
    if (JAVA_RESERVED.contains(name) || GENERATED_OR_INHERITED.contains(name)) {
      name = name + "_";
    }
    return name;
  }

  /** The static getter of an RPC's method descriptor: {@code get<UpperCamel>Method}. */
  static String methodDescriptorGetter(String protoMethodName) {
    return "get" + underscoresToCamelCase(protoMethodName, true) + "Method";
  }

  /** {@code a.b} from {@code a} and {@code b}, or {@code b} alone when {@code a} is empty. */
  static String join(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }
}
