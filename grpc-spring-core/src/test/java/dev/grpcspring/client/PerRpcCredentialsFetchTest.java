package dev.grpcspring.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Code;
import dev.grpcspring.SecurityLevel;
import dev.grpcspring.Status;
import dev.grpcspring.credentials.PerRpcCredentials;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class PerRpcCredentialsFetchTest {

  @Test
  void codesReservedForServersBecomeInternal() {
    for (Code reserved : new Code[] {Code.OK, Code.INVALID_ARGUMENT, Code.NOT_FOUND,
        Code.ALREADY_EXISTS, Code.FAILED_PRECONDITION, Code.ABORTED, Code.OUT_OF_RANGE,
        Code.DATA_LOSS}) {
      Status s = PerRpcCredentialsFetch.statusOf(new CompletionException(
          Status.fromCode(reserved).withDescription("token store said so").asException()));
      assertThat(s.getCode()).as(reserved.name()).isEqualTo(Code.INTERNAL);
      assertThat(s.getDescription()).contains(reserved.name()).contains("token store said so")
          .contains("A54");
    }
  }

  @Test
  void otherCodesPassAndPlainExceptionsAreUnauthenticated() {
    Status unavailable = PerRpcCredentialsFetch.statusOf(
        Status.UNAVAILABLE.withDescription("token endpoint down").asException());
    assertThat(unavailable.getCode()).isEqualTo(Code.UNAVAILABLE);
    Status denied = PerRpcCredentialsFetch.statusOf(
        Status.PERMISSION_DENIED.withDescription("no").asException());
    assertThat(denied.getCode()).isEqualTo(Code.PERMISSION_DENIED);
    Status plain = PerRpcCredentialsFetch.statusOf(new IllegalStateException("no token"));
    assertThat(plain.getCode()).isEqualTo(Code.UNAUTHENTICATED);
    assertThat(plain.getDescription()).contains("no token");
  }

  @Test
  void serviceUriLeavesOutTheDefaultTlsPort() {
    assertThat(new PerRpcCredentials.RequestInfo("api.example.com:443", "pkg.Svc/Method", "tls",
        SecurityLevel.PRIVACY_AND_INTEGRITY).serviceUri())
        .isEqualTo("https://api.example.com/pkg.Svc");
    assertThat(new PerRpcCredentials.RequestInfo("api.example.com:8443", "pkg.Svc/Method", "tls",
        SecurityLevel.PRIVACY_AND_INTEGRITY).serviceUri())
        .isEqualTo("https://api.example.com:8443/pkg.Svc");
  }
}
