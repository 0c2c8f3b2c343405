package dev.grpcspring.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.Code;
import dev.grpcspring.Marshaller;
import dev.grpcspring.StatusException;
import dev.grpcspring.codegen.test.EchoRequest;
import dev.grpcspring.codegen.test.EchoServiceGrpc;
import dev.grpcspring.codegen.test.Outer;
import dev.grpcspring.codegen.test.common.CommonProtos;
import dev.grpcspring.codegen.test.editions.EditionsGrpc;
import dev.grpcspring.codegen.test.editions.EditionsProto;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The generated descriptors' marshallers carry messages through Netty buffers and back. */
class GeneratedMarshallersTest {
  private static final IntFunction<ByteBuf> DIRECT = PooledByteBufAllocator.DEFAULT::directBuffer;
  private static final IntFunction<ByteBuf> HEAP = PooledByteBufAllocator.DEFAULT::heapBuffer;

  @Test
  void requestRoundTripsThroughDirectAndHeapBuffers() {
    EchoRequest request = EchoRequest.newBuilder().setText("h\u00e9llo").setRepeat(3).setTag("t")
        .build();
    Marshaller<EchoRequest> m = EchoServiceGrpc.getEchoMethod().getRequestMarshaller();
    assertThat(roundTrip(m, request, DIRECT)).isEqualTo(request);
    assertThat(roundTrip(m, request, HEAP)).isEqualTo(request);
    // proto3 optional survives: an explicitly empty tag is present after the trip.
    EchoRequest emptyTag = EchoRequest.newBuilder().setTag("").build();
    assertThat(roundTrip(m, emptyTag, DIRECT).hasTag()).isTrue();
  }

  @Test
  void nestedImportedAndEditionTypesRoundTrip() {
    Outer.Inner.Deeper deeper = Outer.Inner.Deeper.newBuilder().setValue("deep").build();
    assertThat(roundTrip(EchoServiceGrpc.getDigMethod().getResponseMarshaller(), deeper, DIRECT))
        .isEqualTo(deeper);

    CommonProtos.Shared shared = CommonProtos.Shared.newBuilder().setText("s")
        .addNumbers(1).addNumbers(300).build();
    assertThat(roundTrip(EchoServiceGrpc.getShareMethod().getRequestMarshaller(), shared, HEAP))
        .isEqualTo(shared);

    EditionsProto.Pong pong = EditionsProto.Pong.newBuilder().setValue("pong").build();
    assertThat(roundTrip(EditionsGrpc.getBounceMethod().getResponseMarshaller(), pong, DIRECT))
        .isEqualTo(pong);
  }

  @Test
  void emptyMessageIsZeroBytes() {
    Marshaller<EchoRequest> m = EchoServiceGrpc.getEchoMethod().getRequestMarshaller();
    ByteBuf buf = DIRECT.apply(16);
    try {
      m.serialize(EchoRequest.getDefaultInstance(), buf);
      assertThat(buf.readableBytes()).isZero();
      assertThat(m.parse(buf)).isEqualTo(EchoRequest.getDefaultInstance());
    } finally {
      buf.release();
    }
  }

  @Test
  void invalidBytesAreInternal() {
    Marshaller<EchoRequest> m = EchoServiceGrpc.getEchoMethod().getRequestMarshaller();
    ByteBuf buf = HEAP.apply(4);
    try {
      // Field 1 (string) claims 100 bytes but none follow.
      buf.writeByte(0x0a).writeByte(100);
      assertThatThrownBy(() -> m.parse(buf))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Code.INTERNAL);
            assertThat(e.getStatus().getDescription()).contains("grpcspring.codegen.test.EchoRequest");
          });
    } finally {
      buf.release();
    }
  }

  private static <T> T roundTrip(Marshaller<T> marshaller, T value, IntFunction<ByteBuf> alloc) {
    ByteBuf buf = alloc.apply(1);
    try {
      marshaller.serialize(value, buf);
      assertThat(buf.readableBytes()).isEqualTo(marshaller.serializedSize(value));
      return marshaller.parse(buf);
    } finally {
      buf.release();
    }
  }
}
