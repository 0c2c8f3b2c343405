package dev.grpcspring.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.MethodType;
import dev.grpcspring.ServiceDescriptor;
import dev.grpcspring.codec.ProtoMethodDescriptorSupplier;
import dev.grpcspring.codec.ProtoServiceDescriptorSupplier;
import dev.grpcspring.codegen.test.Echo;
import dev.grpcspring.codegen.test.EchoRequest;
import dev.grpcspring.codegen.test.EchoResponse;
import dev.grpcspring.codegen.test.EchoServiceGrpc;
import dev.grpcspring.codegen.test.Outer;
import dev.grpcspring.codegen.test.clash.ClashOuterClass;
import dev.grpcspring.codegen.test.common.CommonProtos;
import dev.grpcspring.codegen.test.editions.EditionsGrpc;
import dev.grpcspring.codegen.test.editions.EditionsProto;
import dev.grpcspring.codegen.test.editions.Ping;
import dev.grpcspring.codegen.test.taken.TakenGrpc;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Method and service descriptors of the classes the plugin generated from the test protos. */
// Deliberately exercises the deprecated parts of the generated code.
@SuppressWarnings("deprecation")
class GeneratedDescriptorsTest {

  @Test
  void serviceNameIsTheFullProtoName() {
    assertThat(EchoServiceGrpc.SERVICE_NAME).isEqualTo("grpcspring.codegen.test.EchoService");
  }

  @Test
  void methodDescriptorsHaveKindAndFullName() {
    assertMethod(EchoServiceGrpc.getEchoMethod(), "Echo", MethodType.UNARY);
    assertMethod(EchoServiceGrpc.getCollectMethod(), "Collect", MethodType.CLIENT_STREAMING);
    assertMethod(EchoServiceGrpc.getExpandMethod(), "Expand", MethodType.SERVER_STREAMING);
    assertMethod(EchoServiceGrpc.getChatMethod(), "Chat", MethodType.BIDI_STREAMING);
    assertThat(EchoServiceGrpc.getEchoMethod().getPath())
        .isEqualTo("/grpcspring.codegen.test.EchoService/Echo");
  }

  @Test
  void methodDescriptorsAreBuiltOnce() {
    assertThat(EchoServiceGrpc.getChatMethod()).isSameAs(EchoServiceGrpc.getChatMethod());
    assertThat(EchoServiceGrpc.getServiceDescriptor())
        .isSameAs(EchoServiceGrpc.getServiceDescriptor());
  }

  @Test
  void idempotencyLevelsCarryOver() {
    assertThat(EchoServiceGrpc.getDigMethod().isSafe()).isTrue();
    assertThat(EchoServiceGrpc.getDigMethod().isIdempotent()).isTrue();
    assertThat(EchoServiceGrpc.getShareMethod().isSafe()).isFalse();
    assertThat(EchoServiceGrpc.getShareMethod().isIdempotent()).isTrue();
    assertThat(EchoServiceGrpc.getEchoMethod().isIdempotent()).isFalse();
  }

  @Test
  void serviceDescriptorListsEveryMethodInOrder() {
    ServiceDescriptor sd = EchoServiceGrpc.getServiceDescriptor();
    assertThat(sd.getName()).isEqualTo(EchoServiceGrpc.SERVICE_NAME);
    assertThat(sd.getMethods()).extracting(MethodDescriptor::getBareMethodName)
        .containsExactly("Echo", "Collect", "Expand", "Chat", "OldEcho", "Dig", "Share", "Wrap");
    assertThat(sd.getMethods()).contains(EchoServiceGrpc.getEchoMethod(),
        EchoServiceGrpc.getWrapMethod());
  }

  @Test
  void serviceSchemaIsTheEmbeddedFileDescriptor() {
    Object schema = EchoServiceGrpc.getServiceDescriptor().getSchemaDescriptor();
    assertThat(schema).isInstanceOf(ProtoServiceDescriptorSupplier.class);
    ProtoServiceDescriptorSupplier supplier = (ProtoServiceDescriptorSupplier) schema;

    Descriptors.FileDescriptor file = supplier.getFileDescriptor();
    assertThat(file).isSameAs(Echo.getDescriptor());
    assertThat(file.getName()).isEqualTo("grpcspring/codegen/test/echo.proto");
    assertThat(file.findServiceByName("EchoService")).isNotNull();
    assertThat(supplier.getServiceDescriptor().getFullName())
        .isEqualTo("grpcspring.codegen.test.EchoService");
    // Reflection also needs the imports to serve the whole file set.
    assertThat(file.getDependencies()).contains(CommonProtos.getDescriptor());
  }

  @Test
  void methodSchemaPointsAtTheProtoMethod() {
    Object schema = EchoServiceGrpc.getDigMethod().getSchemaDescriptor();
    assertThat(schema).isInstanceOf(ProtoMethodDescriptorSupplier.class);
    Descriptors.MethodDescriptor md = ((ProtoMethodDescriptorSupplier) schema).getMethodDescriptor();
    assertThat(md.getFullName()).isEqualTo("grpcspring.codegen.test.EchoService.Dig");
    assertThat(md.getInputType()).isSameAs(Outer.Inner.getDescriptor());
    assertThat(md.getOutputType()).isSameAs(Outer.Inner.Deeper.getDescriptor());

    for (MethodDescriptor<?, ?> m : EchoServiceGrpc.getServiceDescriptor().getMethods()) {
      ProtoMethodDescriptorSupplier s = (ProtoMethodDescriptorSupplier) m.getSchemaDescriptor();
      assertThat(s.getMethodDescriptor().getName()).isEqualTo(m.getBareMethodName());
    }
  }

  @Test
  void marshallersUseTheProtocMessageClasses() {
    assertThat(prototype(EchoServiceGrpc.getEchoMethod().getRequestMarshaller()))
        .isSameAs(EchoRequest.getDefaultInstance());
    assertThat(prototype(EchoServiceGrpc.getEchoMethod().getResponseMarshaller()))
        .isSameAs(EchoResponse.getDefaultInstance());
    assertThat(prototype(EchoServiceGrpc.getShareMethod().getRequestMarshaller()))
        .isSameAs(CommonProtos.Shared.getDefaultInstance());
    assertThat(prototype(EchoServiceGrpc.getDigMethod().getResponseMarshaller()))
        .isSameAs(Outer.Inner.Deeper.getDefaultInstance());
  }

  @Test
  void clashingServiceDescribesItsProtoNames() {
    ServiceDescriptor sd = dev.grpcspring.codegen.test.clash.ClashGrpc.getServiceDescriptor();
    assertThat(sd.getName()).isEqualTo("grpcspring.codegen.test.clash.Clash");
    assertThat(sd.getMethods()).extracting(MethodDescriptor::getBareMethodName)
        .containsExactly("Class", "BindService", "GetChannel", "Build", "ToString",
            "GetServiceDescriptor", "WithDeadline", "Default", "hash_code", "NewStub");
    // protoc named the outer class ClashOuterClass because the service is called Clash.
    assertThat(((ProtoServiceDescriptorSupplier) sd.getSchemaDescriptor()).getFileDescriptor())
        .isSameAs(ClashOuterClass.getDescriptor());
  }

  @Test
  void clashingMethodNamesGetATrailingUnderscore() {
    List<String> names = Arrays.stream(
            dev.grpcspring.codegen.test.clash.ClashGrpc.ClashImplBase.class.getDeclaredMethods())
        .map(Method::getName).toList();
    assertThat(names).containsExactlyInAnyOrder("class_", "bindService_", "getChannel_", "build_",
        "toString_", "getServiceDescriptor_", "withDeadline_", "default_", "hashCode_", "newStub_",
        "bindService");
  }

  @Test
  void edition2024NamesMatchProtoc() {
    assertThat(EditionsGrpc.getBounceMethod().getFullMethodName())
        .isEqualTo("grpcspring.codegen.test.editions.Editions/Bounce");
    assertThat(prototype(EditionsGrpc.getBounceMethod().getRequestMarshaller()))
        .isSameAs(Ping.getDefaultInstance());
    assertThat(prototype(EditionsGrpc.getBounceMethod().getResponseMarshaller()))
        .isSameAs(EditionsProto.Pong.getDefaultInstance());
  }

  @Test
  void classNameTakenByAMessageGetsAnUnderscore() throws Exception {
    Class<?> generated = Class.forName("dev.grpcspring.codegen.test.taken.TakenGrpc_");
    ServiceDescriptor sd = (ServiceDescriptor) generated.getMethod("getServiceDescriptor")
        .invoke(null);
    assertThat(sd.getName()).isEqualTo("grpcspring.codegen.test.taken.Taken");
    // The message class protoc wrote keeps its name.
    assertThat(prototype(sd.getMethods().get(0).getRequestMarshaller()))
        .isSameAs(TakenGrpc.getDefaultInstance());
  }

  @Test
  void deprecationIsVisibleToJava() throws Exception {
    assertThat(EchoServiceGrpc.class.getMethod("getOldEchoMethod")
        .isAnnotationPresent(Deprecated.class)).isTrue();
    assertThat(EchoServiceGrpc.class.getMethod("getEchoMethod")
        .isAnnotationPresent(Deprecated.class)).isFalse();
    assertThat(EchoServiceGrpc.EchoServiceImplBase.class.getMethod("oldEcho", EchoRequest.class,
        dev.grpcspring.stub.StreamObserver.class).isAnnotationPresent(Deprecated.class)).isTrue();
    assertThat(EchoServiceGrpc.EchoServiceBlockingStub.class.getMethod("oldEcho",
        EchoRequest.class).isAnnotationPresent(Deprecated.class)).isTrue();
    assertThat(EchoServiceGrpc.class.isAnnotationPresent(Deprecated.class)).isFalse();
    assertThat(dev.grpcspring.codegen.test.clash.ClashGrpc.class
        .isAnnotationPresent(Deprecated.class)).isTrue();
    assertThat(dev.grpcspring.codegen.test.clash.ClashGrpc.ClashStub.class
        .isAnnotationPresent(Deprecated.class)).isTrue();
  }

  private static void assertMethod(MethodDescriptor<?, ?> m, String name, MethodType type) {
    assertThat(m.getFullMethodName()).isEqualTo("grpcspring.codegen.test.EchoService/" + name);
    assertThat(m.getServiceName()).isEqualTo(EchoServiceGrpc.SERVICE_NAME);
    assertThat(m.getType()).isEqualTo(type);
  }

  private static Object prototype(dev.grpcspring.Marshaller<?> marshaller) {
    assertThat(marshaller).isInstanceOf(dev.grpcspring.codec.ProtoMarshaller.class);
    return ((dev.grpcspring.codec.ProtoMarshaller<?>) marshaller).getMessagePrototype();
  }
}
