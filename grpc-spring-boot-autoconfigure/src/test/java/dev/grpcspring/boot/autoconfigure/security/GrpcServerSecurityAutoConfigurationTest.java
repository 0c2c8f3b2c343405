package dev.grpcspring.boot.autoconfigure.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.boot.autoconfigure.server.GrpcServerAutoConfiguration;
import dev.grpcspring.boot.security.BearerTokenGrpcAuthenticationReader;
import dev.grpcspring.boot.security.GrpcAuthorizationRules;
import dev.grpcspring.boot.security.GrpcSecurityInterceptor;
import dev.grpcspring.boot.server.GrpcServiceDiscoverer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;

class GrpcServerSecurityAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(GrpcServerAutoConfiguration.class,
          GrpcServerSecurityAutoConfiguration.class))
      .withPropertyValues("grpc.server.enabled=true", "grpc.server.port=0");

  private static Authentication user(String... authorities) {
    TestingAuthenticationToken token = new TestingAuthenticationToken("u", "p", authorities);
    token.setAuthenticated(true);
    return token;
  }

  @Test
  void defaultsRequireAuthenticationExceptForHealthAndReflection() {
    runner.run(ctx -> {
      assertThat(ctx).hasSingleBean(GrpcSecurityInterceptor.class)
          .hasSingleBean(BearerTokenGrpcAuthenticationReader.class);
      GrpcAuthorizationRules rules = ctx.getBean(GrpcAuthorizationRules.class);
      assertThat(rules.accessFor("pkg.Svc/M").allows(null)).isFalse();
      assertThat(rules.accessFor("pkg.Svc/M").allows(user())).isTrue();
      assertThat(rules.accessFor("grpc.health.v1.Health/Check").allows(null)).isTrue();
      assertThat(rules.accessFor("grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")
          .allows(null)).isTrue();
      // The server puts the interceptor in every service's chain.
      assertThat(ctx.getBean(GrpcServiceDiscoverer.class)).isNotNull();
    });
  }

  @Test
  void rulesFromPropertiesChangeAccess() {
    runner.withPropertyValues("grpc.server.security.default-access=deny-all",
        "grpc.server.security.permit-all=",
        "grpc.server.security.rules[0].methods=pkg.Svc/*",
        "grpc.server.security.rules[0].roles=ADMIN",
        "grpc.server.security.rules[0].authorities=SCOPE_write",
        "grpc.server.security.rules[1].methods=pkg.Open/*",
        "grpc.server.security.rules[1].access=permit-all").run(ctx -> {
          GrpcAuthorizationRules rules = ctx.getBean(GrpcAuthorizationRules.class);
          assertThat(rules.accessFor("pkg.Svc/M").allows(user("ROLE_USER"))).isFalse();
          assertThat(rules.accessFor("pkg.Svc/M").allows(user("ROLE_ADMIN"))).isTrue();
          assertThat(rules.accessFor("pkg.Svc/M").allows(user("SCOPE_write"))).isTrue();
          assertThat(rules.accessFor("pkg.Open/M").allows(null)).isTrue();
          assertThat(rules.accessFor("pkg.Other/M").allows(user("ROLE_ADMIN"))).isFalse();
          assertThat(rules.accessFor("grpc.health.v1.Health/Check").allows(null)).isFalse();
        });
  }

  @Test
  void badRulesFailStartupNamingTheProperty() {
    runner.withPropertyValues("grpc.server.security.rules[0].methods=pkg.Svc")
        .run(ctx -> assertThat(ctx).getFailure().rootCause()
            .hasMessageContaining("grpc.server.security.rules[0].methods")
            .hasMessageContaining("package.Service/Method"));
    runner.withPropertyValues("grpc.server.security.rules[0].methods=pkg.Svc/*",
            "grpc.server.security.rules[0].access=permit-all",
            "grpc.server.security.rules[0].roles=ADMIN")
        .run(ctx -> assertThat(ctx).getFailure().rootCause()
            .hasMessageContaining("grpc.server.security.rules[0].access"));
    runner.withPropertyValues("grpc.server.security.rules[0].access=permit-all")
        .run(ctx -> assertThat(ctx).getFailure().rootCause()
            .hasMessageContaining("grpc.server.security.rules[0].methods"));
    runner.withPropertyValues("grpc.server.security.default-access=nobody")
        .run(ctx -> assertThat(ctx).hasFailed());
  }

  @Test
  void offWhenDisabledOrWithoutSpringSecurity() {
    runner.withPropertyValues("grpc.server.security.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(GrpcSecurityInterceptor.class));
    runner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(ctx).doesNotHaveBean("grpcSecurityInterceptor");
        });
  }

  @Test
  void withoutTheResourceServerModuleNoBearerReader() {
    runner.withClassLoader(new FilteredClassLoader(
            "org.springframework.security.oauth2.server.resource"))
        .run(ctx -> {
          assertThat(ctx).hasSingleBean(GrpcSecurityInterceptor.class);
          assertThat(ctx).doesNotHaveBean(BearerTokenGrpcAuthenticationReader.class);
        });
  }
}
