package dev.grpcspring.protoc;

import static dev.grpcspring.protoc.Protos.file;
import static dev.grpcspring.protoc.Protos.message;
import static dev.grpcspring.protoc.Protos.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FeatureSet;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileOptions;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.JavaFeaturesProto;
import com.google.protobuf.JavaFeaturesProto.JavaFeatures;
import com.google.protobuf.JavaFeaturesProto.JavaFeatures.NestInFileClassFeature.NestInFileClass;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaNamesTest {

  @Test
  void camelCaseFollowsProtocRules() {
    assertThat(JavaNames.underscoresToCamelCase("foo_bar_baz", true)).isEqualTo("FooBarBaz");
    assertThat(JavaNames.underscoresToCamelCase("hello_world2x", true)).isEqualTo("HelloWorld2X");
    assertThat(JavaNames.underscoresToCamelCase("my-file.v2", true)).isEqualTo("MyFileV2");
    assertThat(JavaNames.underscoresToCamelCase("SayHello", false)).isEqualTo("sayHello");
    assertThat(JavaNames.underscoresToCamelCase("HTTPGet", false)).isEqualTo("hTTPGet");
    assertThat(JavaNames.underscoresToCamelCase("get_user_by_id", false)).isEqualTo("getUserById");
  }

  @Test
  void methodNamesAreLowerCamelCase() {
    assertThat(JavaNames.methodName("SayHello")).isEqualTo("sayHello");
    assertThat(JavaNames.methodName("list_users")).isEqualTo("listUsers");
    assertThat(JavaNames.methodDescriptorGetter("list_users")).isEqualTo("getListUsersMethod");
  }

  @Test
  void methodNamesThatClashGetATrailingUnderscore() {
    // Java keywords and literals.
    assertThat(JavaNames.methodName("Class")).isEqualTo("class_");
    assertThat(JavaNames.methodName("Default")).isEqualTo("default_");
    assertThat(JavaNames.methodName("null")).isEqualTo("null_");
    assertThat(JavaNames.methodName("Yield")).isEqualTo("yield_");
    // java.lang.Object's methods.
    assertThat(JavaNames.methodName("ToString")).isEqualTo("toString_");
    assertThat(JavaNames.methodName("hash_code")).isEqualTo("hashCode_");
    assertThat(JavaNames.methodName("GetClass")).isEqualTo("getClass_");
    // Names generated or inherited classes use.
    assertThat(JavaNames.methodName("BindService")).isEqualTo("bindService_");
    assertThat(JavaNames.methodName("GetChannel")).isEqualTo("getChannel_");
    assertThat(JavaNames.methodName("Build")).isEqualTo("build_");
    assertThat(JavaNames.methodName("WithDeadline")).isEqualTo("withDeadline_");
    assertThat(JavaNames.methodName("GetServiceDescriptor")).isEqualTo("getServiceDescriptor_");
    assertThat(JavaNames.methodName("NewStub")).isEqualTo("newStub_");
    // Names that camel-case to nothing or to a digit first still make identifiers.
    assertThat(JavaNames.methodName("_1")).isEqualTo("_1");
    assertThat(JavaNames.methodName("_")).isEqualTo("__");
  }

  @Test
  void javaPackageIsTheOptionElseTheProtoPackage() {
    assertThat(JavaNames.javaPackage(file("a.proto", "foo.bar").build())).isEqualTo("foo.bar");
    assertThat(JavaNames.javaPackage(file("a.proto", "foo.bar")
        .setOptions(FileOptions.newBuilder().setJavaPackage("com.example.x")).build()))
        .isEqualTo("com.example.x");
    assertThat(JavaNames.javaPackage(file("a.proto", "foo.bar")
        .setOptions(FileOptions.newBuilder().setJavaPackage("")).build()))
        .isEmpty();
  }

  @Test
  void outerClassDefaultsToTheFileBaseNameInCamelCase() {
    assertThat(JavaNames.outerClassSimpleName(file("dir/sub/user_service.proto", "p").build()))
        .isEqualTo("UserService");
    assertThat(JavaNames.outerClassSimpleName(file("old.protodevel", "p").build()))
        .isEqualTo("Old");
  }

  @Test
  void outerClassGetsSuffixWhenAnyTypeOfTheFileHasItsName() {
    assertThat(JavaNames.outerClassSimpleName(
        file("greeter.proto", "p").addMessageType(message("Greeter")).build()))
        .isEqualTo("GreeterOuterClass");
    assertThat(JavaNames.outerClassSimpleName(
        file("greeter.proto", "p").addService(service("Greeter")).build()))
        .isEqualTo("GreeterOuterClass");
    assertThat(JavaNames.outerClassSimpleName(
        file("greeter.proto", "p").addEnumType(EnumDescriptorProto.newBuilder().setName("Greeter"))
            .build()))
        .isEqualTo("GreeterOuterClass");
    assertThat(JavaNames.outerClassSimpleName(
        file("greeter.proto", "p").addMessageType(message("A", message("B", message("Greeter"))))
            .build()))
        .isEqualTo("GreeterOuterClass");
    // Only exact matches count.
    assertThat(JavaNames.outerClassSimpleName(
        file("greeter.proto", "p").addMessageType(message("GREETER")).build()))
        .isEqualTo("Greeter");
  }

  @Test
  void explicitOuterClassNameWins() {
    assertThat(JavaNames.outerClassSimpleName(file("greeter.proto", "p")
        .setOptions(FileOptions.newBuilder().setJavaOuterClassname("GreeterProtos"))
        .addMessageType(message("Greeter")).build()))
        .isEqualTo("GreeterProtos");
  }

  @Test
  void messagesAreNestedInTheOuterClassUnlessMultipleFiles() {
    FileDescriptorProto single = file("a/single.proto", "pkg.one")
        .setOptions(FileOptions.newBuilder().setJavaPackage("com.one"))
        .addMessageType(message("Req", message("Inner", message("Deeper"))))
        .build();
    FileDescriptorProto multiple = file("a/multi.proto", "pkg.two")
        .setOptions(FileOptions.newBuilder().setJavaMultipleFiles(true))
        .addMessageType(message("Resp", message("Inner")))
        .build();
    JavaNames names = new JavaNames(List.of(single, multiple));

    assertThat(names.messageClassName(".pkg.one.Req")).isEqualTo("com.one.Single.Req");
    assertThat(names.messageClassName(".pkg.one.Req.Inner.Deeper"))
        .isEqualTo("com.one.Single.Req.Inner.Deeper");
    assertThat(names.messageClassName(".pkg.two.Resp")).isEqualTo("pkg.two.Resp");
    assertThat(names.messageClassName(".pkg.two.Resp.Inner")).isEqualTo("pkg.two.Resp.Inner");
  }

  @Test
  void messagesWithoutAPackage() {
    FileDescriptorProto noPackage = FileDescriptorProto.newBuilder().setName("bare.proto")
        .setSyntax("proto3").addMessageType(message("Thing")).build();
    JavaNames names = new JavaNames(List.of(noPackage));
    assertThat(names.messageClassName(".Thing")).isEqualTo("Bare.Thing");
  }

  @Test
  void unknownTypeIsAClearError() {
    JavaNames names = new JavaNames(List.of(file("a.proto", "p").build()));
    assertThatThrownBy(() -> names.messageClassName(".p.Missing"))
        .isInstanceOf(CodeGenerationException.class)
        .hasMessageContaining(".p.Missing")
        .hasMessageContaining("imports");
  }

  @Test
  void edition2024PutsClassesInOwnFilesAndSuffixesTheOuterClassWithProto() {
    FileDescriptorProto file = editions2024("e/things.proto", "pkg")
        .addMessageType(message("Things"))
        .addMessageType(DescriptorProto.newBuilder().setName("Kept")
            .setOptions(MessageOptions.newBuilder().setFeatures(nestInFileClass(NestInFileClass.YES))))
        .build();
    JavaNames names = new JavaNames(List.of(file));

    // No OuterClass disambiguation any more, even though a message is called Things.
    assertThat(JavaNames.outerClassSimpleName(file)).isEqualTo("ThingsProto");
    assertThat(names.messageClassName(".pkg.Things")).isEqualTo("pkg.Things");
    assertThat(names.messageClassName(".pkg.Kept")).isEqualTo("pkg.ThingsProto.Kept");
    assertThat(JavaNames.topLevelClassNames(file)).containsExactly("ThingsProto", "Things");
  }

  @Test
  void edition2024FileLevelFeaturesApply() {
    JavaFeatures fileFeatures = JavaFeatures.newBuilder()
        .setNestInFileClass(NestInFileClass.YES).setUseOldOuterClassnameDefault(true).build();
    FileDescriptorProto file = editions2024("e/things.proto", "pkg")
        .setOptions(FileOptions.newBuilder().setFeatures(
            FeatureSet.newBuilder().setExtension(JavaFeaturesProto.java_, fileFeatures)))
        .addMessageType(message("Things"))
        .build();
    JavaNames names = new JavaNames(List.of(file));

    assertThat(JavaNames.outerClassSimpleName(file)).isEqualTo("ThingsOuterClass");
    assertThat(names.messageClassName(".pkg.Things")).isEqualTo("pkg.ThingsOuterClass.Things");
  }

  @Test
  void edition2023BehavesLikeProto3() {
    FileDescriptorProto file = file("e/things.proto", "pkg").setSyntax("editions")
        .setEdition(Edition.EDITION_2023).addMessageType(message("Thing")).build();
    JavaNames names = new JavaNames(List.of(file));
    assertThat(names.messageClassName(".pkg.Thing")).isEqualTo("pkg.Things.Thing");
  }

  @Test
  void topLevelClassNamesListWhatProtocWritesIntoThePackage() {
    FileDescriptorProto multiple = file("m.proto", "p")
        .setOptions(FileOptions.newBuilder().setJavaMultipleFiles(true))
        .addMessageType(message("A"))
        .addEnumType(EnumDescriptorProto.newBuilder().setName("E"))
        .build();
    FileDescriptorProto single = file("s.proto", "p").addMessageType(message("B")).build();
    assertThat(JavaNames.topLevelClassNames(multiple)).containsExactly("M", "A", "E");
    assertThat(JavaNames.topLevelClassNames(single)).containsExactly("S");
  }

  static FileDescriptorProto.Builder editions2024(String name, String pkg) {
    return file(name, pkg).setSyntax("editions").setEdition(Edition.EDITION_2024);
  }

  static FeatureSet nestInFileClass(NestInFileClass value) {
    return FeatureSet.newBuilder().setExtension(JavaFeaturesProto.java_,
        JavaFeatures.newBuilder().setNestInFileClass(value).build()).build();
  }
}
