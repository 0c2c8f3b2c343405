package dev.grpcspring.protoc;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.util.Arrays;

/** Hand-built descriptors for the generator tests. */
final class Protos {
  static {
    // Before any test touches JavaFeaturesProto; see JavaNames.
    DescriptorProtos.getDescriptor();
  }

  private Protos() {}

  static FileDescriptorProto.Builder file(String name, String protoPackage) {
    return FileDescriptorProto.newBuilder().setName(name).setPackage(protoPackage)
        .setSyntax("proto3");
  }

  static DescriptorProto message(String name, DescriptorProto... nested) {
    return DescriptorProto.newBuilder().setName(name).addAllNestedType(Arrays.asList(nested))
        .build();
  }

  static MethodDescriptorProto.Builder method(String name, String input, String output,
      boolean clientStreaming, boolean serverStreaming) {
    return MethodDescriptorProto.newBuilder().setName(name).setInputType(input)
        .setOutputType(output).setClientStreaming(clientStreaming)
        .setServerStreaming(serverStreaming);
  }

  static MethodDescriptorProto unary(String name, String input, String output) {
    return method(name, input, output, false, false).build();
  }

  static ServiceDescriptorProto service(String name, MethodDescriptorProto... methods) {
    return ServiceDescriptorProto.newBuilder().setName(name).addAllMethod(Arrays.asList(methods))
        .build();
  }

  /** A request to generate the last file; the others are its imports. */
  static CodeGeneratorRequest request(FileDescriptorProto... files) {
    return CodeGeneratorRequest.newBuilder()
        .addAllProtoFile(Arrays.asList(files))
        .addFileToGenerate(files[files.length - 1].getName())
        .build();
  }

  /** Generates for the last file and returns the content of the one file generated. */
  static String generateOne(FileDescriptorProto... files) {
    CodeGeneratorResponse response = GrpcSpringProtocPlugin.generate(request(files));
    if (response.hasError()) {
      throw new AssertionError("Generation failed: " + response.getError());
    }
    if (response.getFileCount() != 1) {
      throw new AssertionError("Expected one file, got " + response.getFileCount());
    }
    return response.getFile(0).getContent();
  }
}
