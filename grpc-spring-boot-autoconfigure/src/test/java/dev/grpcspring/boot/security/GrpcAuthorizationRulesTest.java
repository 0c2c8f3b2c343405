package dev.grpcspring.boot.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;

class GrpcAuthorizationRulesTest {

  private static final Authentication ANONYMOUS = new AnonymousAuthenticationToken("k", "anon",
      AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

  private static Authentication user(String... authorities) {
    TestingAuthenticationToken token = new TestingAuthenticationToken("u", "p", authorities);
    token.setAuthenticated(true);
    return token;
  }

  @Test
  void firstMatchingRuleDecidesThenTheDefault() {
    GrpcAuthorizationRules rules = GrpcAuthorizationRules.builder()
        .permitAll("pkg.Svc/Open")
        .rule(GrpcAccess.hasAnyRole("ADMIN"), "pkg.Svc/*")
        .rule(GrpcAccess.denyAll(), "pkg.Other/Closed")
        .defaultAccess(GrpcAccess.authenticated())
        .build();
    assertThat(rules.accessFor("pkg.Svc/Open").allows(ANONYMOUS)).isTrue();
    assertThat(rules.accessFor("pkg.Svc/Admin").allows(user("ROLE_USER"))).isFalse();
    assertThat(rules.accessFor("pkg.Svc/Admin").allows(user("ROLE_ADMIN"))).isTrue();
    assertThat(rules.accessFor("pkg.Other/Closed").allows(user("ROLE_ADMIN"))).isFalse();
    assertThat(rules.accessFor("pkg.Other/Any").allows(user())).isTrue();
    assertThat(rules.accessFor("pkg.Other/Any").allows(ANONYMOUS)).isFalse();
    assertThat(rules.accessFor("pkg.Other/Any").allows(null)).isFalse();
    // A service prefix does not match a longer service name.
    assertThat(rules.accessFor("pkg.SvcX/Admin").allows(user("ROLE_USER"))).isTrue();
  }

  @Test
  void anUncheckedTokenIsNotAuthenticated() {
    TestingAuthenticationToken unchecked = new TestingAuthenticationToken("u", "p",
        "ROLE_ADMIN");
    unchecked.setAuthenticated(false);
    assertThat(GrpcAccess.hasAnyRole("ADMIN").allows(unchecked)).isFalse();
  }

  @Test
  void patternsAreCheckedWhenAdded() {
    for (String bad : List.of("pkg.Svc", "pkg.Svc/", "/M", "pkg.*/M", "pkg.Svc/M*", "a/b/c")) {
      assertThatThrownBy(() -> GrpcAuthorizationRules.builder().permitAll(bad))
          .as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("package.Service/Method");
    }
    GrpcAuthorizationRules.builder().permitAll("*", "pkg.Svc/*", "pkg.Svc/M");
  }
}
