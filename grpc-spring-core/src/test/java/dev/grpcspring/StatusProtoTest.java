package dev.grpcspring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import org.junit.jupiter.api.Test;

class StatusProtoTest {
  private static final Metadata.Key<String> OTHER =
      Metadata.Key.of("x-other", Metadata.ASCII_STRING_MARSHALLER);

  private final com.google.rpc.Status details = com.google.rpc.Status.newBuilder()
      .setCode(Code.FAILED_PRECONDITION.value())
      .setMessage("not now")
      .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("BUSY").build()))
      .build();

  @Test
  void roundTripsThroughAnException() {
    Metadata extra = new Metadata();
    extra.put(OTHER, "kept");
    StatusException e = StatusProto.toStatusException(details, extra);
    assertThat(e.getStatus().getCode()).isEqualTo(Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription()).isEqualTo("not now");
    assertThat(e.getTrailers().get(OTHER)).isEqualTo("kept");
    assertThat(StatusProto.fromThrowable(new RuntimeException(e))).isEqualTo(details);
    assertThat(StatusProto.fromThrowable(new RuntimeException("plain"))).isNull();
  }

  @Test
  void grpcJavasRuntimeExceptionNameCarriesTheSameStatusAndDetails() {
    StatusRuntimeException e = StatusProto.toStatusRuntimeException(details);
    assertThat(e.getStatus().getCode()).isEqualTo(Code.FAILED_PRECONDITION);
    assertThat(e).hasMessage("FAILED_PRECONDITION: not now");
    assertThat(StatusProto.fromThrowable(e)).isEqualTo(details);
  }

  @Test
  void ignoresMismatchedOrDuplicateDetails() {
    Metadata md = new Metadata();
    md.put(StatusProto.STATUS_DETAILS_KEY, details);
    com.google.rpc.Status got = StatusProto.fromStatusAndTrailers(
        Status.INTERNAL.withDescription("boom"), md);
    assertThat(got.getCode()).isEqualTo(Code.INTERNAL.value());
    assertThat(got.getMessage()).isEqualTo("boom");
    assertThat(got.getDetailsList()).isEmpty();
    md.put(StatusProto.STATUS_DETAILS_KEY, details);
    assertThat(StatusProto.fromStatusAndTrailers(Status.FAILED_PRECONDITION, md).getDetailsList())
        .isEmpty();
    Metadata garbage = new Metadata();
    garbage.putBinary("grpc-status-details-bin", new byte[] {(byte) 0xff, 1});
    assertThat(StatusProto.fromStatusAndTrailers(Status.FAILED_PRECONDITION, garbage).getCode())
        .isEqualTo(Code.FAILED_PRECONDITION.value());
  }

  @Test
  void rejectsNonCanonicalCodes() {
    assertThatThrownBy(() -> StatusProto.toStatusException(
        com.google.rpc.Status.newBuilder().setCode(42).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("42");
  }
}
