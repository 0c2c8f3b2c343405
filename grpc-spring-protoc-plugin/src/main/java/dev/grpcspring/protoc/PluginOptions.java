package dev.grpcspring.protoc;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * The plugin's options, parsed from protoc's parameter string ({@code key=value} or {@code key},
 * separated by commas, as protoc passes {@code --grpc-spring_opt} or the Maven plugin's
 * {@code <options>}).
 *
 * <p>The plugin takes the options grpc-java's {@code protoc-gen-grpc-java} takes, because build
 * set-ups written for grpc-java pass them (Spring Boot's parent POM passes {@code @generated=omit}
 * to the first protoc plugin of the protobuf Maven plugin, whichever plugin that is):
 *
 * <ul>
 *   <li>{@code @generated=omit} (the default), {@code @generated=jakarta} or
 *       {@code @generated=javax}: no {@code @Generated} annotation on the generated class, or
 *       {@code @jakarta.annotation.Generated} (needs {@code jakarta.annotation-api}, which Spring
 *       Boot applications carry), or {@code @javax.annotation.Generated} (needs
 *       {@code javax.annotation-api}). grpc-java's default is {@code javax}; ours is {@code omit},
 *       so that the generated code compiles with no annotation library.
 *   <li>{@code noversion}: the {@code @Generated} value does not name the plugin's version, so
 *       that regenerated code does not change with every plugin release.
 *   <li>{@code lite}: refused with an error, because the generated classes need full
 *       protobuf-java (descriptors for reflection and schemas), which protobuf-lite lacks.
 * </ul>
 *
 * <p>An option it does not know, or a value of {@code @generated} it does not know, is reported as
 * a warning (protoc shows the plugin's stderr) and otherwise ignored, so that options meant for a
 * newer or a different plugin do not fail a build.
 */
final class PluginOptions {
  /** Which {@code @Generated} annotation the generated class carries, if any. */
  enum GeneratedAnnotation {
    OMIT(null), JAKARTA("jakarta.annotation.Generated"), JAVAX("javax.annotation.Generated");

    private final String className;

    GeneratedAnnotation(String className) {
      this.className = className;
    }

    /** The annotation's fully qualified name, or null for {@link #OMIT}. */
    String className() {
      return className;
    }
  }

  static final PluginOptions DEFAULTS = new PluginOptions(GeneratedAnnotation.OMIT, false);

  private final GeneratedAnnotation generated;
  private final boolean noVersion;

  private PluginOptions(GeneratedAnnotation generated, boolean noVersion) {
    this.generated = generated;
    this.noVersion = noVersion;
  }

  GeneratedAnnotation generated() {
    return generated;
  }

  boolean noVersion() {
    return noVersion;
  }

  /**
   * Parses {@code parameter}; reports what it ignores to {@code warnings}.
   *
   * @throws CodeGenerationException for an option this plugin knows and cannot honour
   */
  static PluginOptions parse(String parameter, Consumer<String> warnings) {
    GeneratedAnnotation generated = DEFAULTS.generated;
    boolean noVersion = DEFAULTS.noVersion;
    for (String option : parameter.split(",")) {
      String trimmed = option.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      String key = eq < 0 ? trimmed : trimmed.substring(0, eq).strip();
      String value = eq < 0 ? "" : trimmed.substring(eq + 1).strip();
      switch (key) {
        case "@generated" -> {
          switch (value) {
            case "omit" -> generated = GeneratedAnnotation.OMIT;
            case "jakarta" -> generated = GeneratedAnnotation.JAKARTA;
            case "javax" -> generated = GeneratedAnnotation.JAVAX;
            default -> warnings.accept("ignoring option '" + trimmed
                + "': @generated takes omit, jakarta or javax; keeping "
                + generated.name().toLowerCase(Locale.ROOT));
          }
        }
        case "noversion" -> noVersion = true;
        case "lite" -> throw new CodeGenerationException("grpc-spring-protoc-plugin does not"
            + " support protobuf-lite (option 'lite'): the generated classes need full"
            + " protobuf-java; remove 'lite' from the plugin's options and generate full"
            + " protobuf-java classes");
        default -> warnings.accept("ignoring unknown option '" + trimmed
            + "' (known: @generated=omit|jakarta|javax, noversion)");
      }
    }
    return new PluginOptions(generated, noVersion);
  }
}
