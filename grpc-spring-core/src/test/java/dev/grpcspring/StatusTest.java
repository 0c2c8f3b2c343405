package dev.grpcspring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class StatusTest {
  @Test
  void everyCodeMapsToItsWireValueAndBack() {
    for (Code code : Code.values()) {
      assertThat(Status.fromCodeValue(code.value()).getCode()).isEqualTo(code);
      assertThat(code.wireValue()).isEqualTo(Integer.toString(code.value()));
      assertThat(Status.fromCode(code).getCode()).isEqualTo(code);
    }
  }

  @Test
  void unknownCodeValueBecomesUnknownNamingIt() {
    Status s = Status.fromCodeValue(42);
    assertThat(s.getCode()).isEqualTo(Code.UNKNOWN);
    assertThat(s.getDescription()).contains("42");
    assertThat(Status.fromCodeValue(-1).getCode()).isEqualTo(Code.UNKNOWN);
  }

  @Test
  void withMethodsAreImmutable() {
    Status base = Status.INTERNAL;
    Status described = base.withDescription("a").augmentDescription("b");
    assertThat(base.getDescription()).isNull();
    assertThat(described.getDescription()).isEqualTo("a\nb");
    assertThat(Status.OK.augmentDescription("x").getDescription()).isEqualTo("x");
  }

  @Test
  void fromThrowableFindsStatusInCauseChain() {
    Metadata trailers = new Metadata();
    StatusException inner = Status.NOT_FOUND.withDescription("gone").asException(trailers);
    RuntimeException outer = new RuntimeException("wrapper", inner);

    assertThat(Status.fromThrowable(outer).getCode()).isEqualTo(Code.NOT_FOUND);
    assertThat(Status.trailersFromThrowable(outer)).isSameAs(trailers);
    assertThat(Status.fromThrowable(new CancellationException("c")).getCode())
        .isEqualTo(Code.CANCELLED);
    assertThat(Status.fromThrowable(new TimeoutException("t")).getCode())
        .isEqualTo(Code.DEADLINE_EXCEEDED);
    assertThat(Status.fromThrowable(new IllegalStateException("x")).getCode())
        .isEqualTo(Code.UNKNOWN);
    assertThat(Status.trailersFromThrowable(new IllegalStateException())).isNull();
  }

  @Test
  void exceptionMessageHasCodeAndDescription() {
    assertThat(Status.ABORTED.withDescription("conflict").asException())
        .hasMessage("ABORTED: conflict");
    assertThat(Status.ABORTED.asException()).hasMessage("ABORTED");
  }
}
