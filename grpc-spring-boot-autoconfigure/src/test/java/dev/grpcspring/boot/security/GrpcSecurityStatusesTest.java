package dev.grpcspring.boot.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.Code;
import org.junit.jupiter.api.Test;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

class GrpcSecurityStatusesTest {

  @Test
  void statusesFollowExceptionTranslationFilter() {
    TestingAuthenticationToken user = new TestingAuthenticationToken("u", "p", "ROLE_USER");
    user.setAuthenticated(true);
    AnonymousAuthenticationToken anonymous = new AnonymousAuthenticationToken("k", "a",
        AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
    assertThat(GrpcSecurityStatuses.statusFor(new BadCredentialsException("secret detail"), user)
        .getCode()).isEqualTo(Code.UNAUTHENTICATED);
    assertThat(GrpcSecurityStatuses.statusFor(new AccessDeniedException("x"), anonymous)
        .getCode()).isEqualTo(Code.UNAUTHENTICATED);
    assertThat(GrpcSecurityStatuses.statusFor(new AccessDeniedException("x"), null)
        .getCode()).isEqualTo(Code.UNAUTHENTICATED);
    assertThat(GrpcSecurityStatuses.statusFor(new AccessDeniedException("secret detail"), user))
        .satisfies(s -> {
          assertThat(s.getCode()).isEqualTo(Code.PERMISSION_DENIED);
          assertThat(s.getDescription()).isEqualTo("Access denied");
        });
    assertThat(GrpcSecurityStatuses.statusFor(
        new AuthenticationServiceException("jwks down"), null).getCode())
        .isEqualTo(Code.UNAVAILABLE);
  }
}
