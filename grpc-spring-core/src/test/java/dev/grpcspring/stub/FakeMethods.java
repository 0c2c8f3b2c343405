package dev.grpcspring.stub;

import dev.grpcspring.Marshaller;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.MethodType;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** String methods for stub tests; no transport is involved, so the marshaller is trivial. */
final class FakeMethods {
  static final Marshaller<String> STRING =
      new Marshaller<>() {
        @Override
        public int serializedSize(String value) {
          return value.getBytes(StandardCharsets.UTF_8).length;
        }

        @Override
        public void serialize(String value, ByteBuf out) {
          out.writeCharSequence(value, StandardCharsets.UTF_8);
        }

        @Override
        public String parse(ByteBuf in) {
          return in.toString(StandardCharsets.UTF_8);
        }
      };

  private FakeMethods() {}

  static MethodDescriptor<String, String> method(MethodType type) {
    return MethodDescriptor.<String, String>newBuilder()
        .setType(type)
        .setFullMethodName("test.Svc/" + type.name())
        .setRequestMarshaller(STRING)
        .setResponseMarshaller(STRING)
        .build();
  }
}
