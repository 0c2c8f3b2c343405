package dev.grpcspring.boot.autoconfigure.security;

import dev.grpcspring.boot.autoconfigure.server.GrpcServerAutoConfiguration;
import dev.grpcspring.boot.security.BasicGrpcAuthenticationReader;
import dev.grpcspring.boot.security.BearerTokenGrpcAuthenticationReader;
import dev.grpcspring.boot.security.GrpcAccess;
import dev.grpcspring.boot.security.GrpcAuthenticationReader;
import dev.grpcspring.boot.security.GrpcAuthorizationRules;
import dev.grpcspring.boot.security.GrpcSecurityInterceptor;
import dev.grpcspring.boot.security.X509CertificateAuthenticationProvider;
import dev.grpcspring.boot.security.X509GrpcAuthenticationReader;
import dev.grpcspring.boot.server.GrpcServerLifecycle;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Spring Security on every call of the gRPC server, when Spring Security is on the class path and
 * the server runs: the {@link GrpcSecurityInterceptor} with the readers for bearer tokens, HTTP
 * Basic and client certificates, and the {@link GrpcAuthorizationRules} from
 * {@code grpc.server.security.*}. Turned off by {@code grpc.server.security.enabled=false}.
 */
@AutoConfiguration(after = GrpcServerAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.security.core.Authentication",
    "dev.grpcspring.server.Server"})
@ConditionalOnBean(GrpcServerLifecycle.class)
@ConditionalOnBooleanProperty(name = "grpc.server.security.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GrpcServerSecurityProperties.class)
public final class GrpcServerSecurityAutoConfiguration {

  /**
   * The interceptor's bean name: the server puts it right inside the exception boundary, ahead of
   * every global and per-service interceptor, so that they all run with the caller's context.
   */
  public static final String SERVER_INTERCEPTOR_BEAN = "grpcSecurityInterceptor";

  private static final Log log = LogFactory.getLog(GrpcServerSecurityAutoConfiguration.class);

  @Bean(SERVER_INTERCEPTOR_BEAN)
  @ConditionalOnMissingBean(name = SERVER_INTERCEPTOR_BEAN)
  GrpcSecurityInterceptor grpcSecurityInterceptor(
      ObjectProvider<GrpcAuthenticationReader> readers, GrpcAuthorizationRules rules,
      ListableBeanFactory beans) {
    List<AuthenticationProvider> providers = new ArrayList<>();
    if (ClassPresence.RESOURCE_SERVER) {
      ResourceServerProviders.addTo(providers, beans);
    }
    UserDetailsService users = beans.getBeanProvider(UserDetailsService.class).getIfUnique();
    AuthenticationManager application =
        beans.getBeanProvider(AuthenticationManager.class).getIfUnique();
    if (users != null && application == null) {
      DaoAuthenticationProvider dao = new DaoAuthenticationProvider(users);
      beans.getBeanProvider(PasswordEncoder.class).ifUnique(dao::setPasswordEncoder);
      providers.add(dao);
    }
    providers.add(new X509CertificateAuthenticationProvider(users));
    ProviderManager manager = new ProviderManager(providers, application);
    log.debug("gRPC calls are authenticated by " + providers
        + (application == null ? "" : " and the application's " + application));
    return new GrpcSecurityInterceptor(readers.orderedStream().toList(), manager, rules);
  }

  @Bean
  @ConditionalOnMissingBean
  GrpcAuthorizationRules grpcAuthorizationRules(GrpcServerSecurityProperties properties) {
    GrpcAuthorizationRules.Builder builder = GrpcAuthorizationRules.builder();
    try {
      builder.permitAll(properties.getPermitAll().toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException("grpc.server.security.permit-all",
          properties.getPermitAll(), e.getMessage());
    }
    List<GrpcServerSecurityProperties.Rule> rules = properties.getRules();
    for (int i = 0; i < rules.size(); i++) {
      GrpcServerSecurityProperties.Rule rule = rules.get(i);
      String key = "grpc.server.security.rules[" + i + "]";
      if (rule.getMethods().isEmpty()) {
        throw new InvalidConfigurationPropertyValueException(key + ".methods", "[]",
            "Name the methods this rule applies to (package.Service/Method, package.Service/*"
                + " or *).");
      }
      try {
        builder.rule(access(rule, key), rule.getMethods());
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationPropertyValueException(key + ".methods", rule.getMethods(),
            e.getMessage());
      }
    }
    // Spring Security on the class path changes what callers may do: say so once, at startup.
    log.info("gRPC server security is on (Spring Security is on the class path): methods without"
        + " a rule are " + properties.getDefaultAccess().name().toLowerCase(java.util.Locale.ROOT)
        .replace('_', '-') + "; " + rules.size() + " rule(s), permit-all "
        + properties.getPermitAll() + ". Set grpc.server.security.* to change this.");
    return builder.defaultAccess(access(properties.getDefaultAccess())).build();
  }

  private static GrpcAccess access(GrpcServerSecurityProperties.Rule rule, String key) {
    boolean narrowed = !rule.getRoles().isEmpty() || !rule.getAuthorities().isEmpty();
    if (!narrowed) {
      return access(rule.getAccess());
    }
    if (rule.getAccess() != GrpcServerSecurityProperties.Access.AUTHENTICATED) {
      throw new InvalidConfigurationPropertyValueException(key + ".access", rule.getAccess(),
          "Roles and authorities narrow authenticated callers; with them, leave access unset"
              + " (or authenticated).");
    }
    List<String> authorities = new ArrayList<>(rule.getAuthorities());
    for (String role : rule.getRoles()) {
      authorities.add(role.startsWith("ROLE_") ? role : "ROLE_" + role);
    }
    return GrpcAccess.hasAnyAuthority(authorities);
  }

  private static GrpcAccess access(GrpcServerSecurityProperties.Access access) {
    return switch (access) {
      case PERMIT_ALL -> GrpcAccess.permitAll();
      case AUTHENTICATED -> GrpcAccess.authenticated();
      case DENY_ALL -> GrpcAccess.denyAll();
    };
  }

  /** Header readers come first: a token names the caller more precisely than its connection. */
  @Bean
  @Order(200)
  @ConditionalOnMissingBean
  BasicGrpcAuthenticationReader basicGrpcAuthenticationReader() {
    return new BasicGrpcAuthenticationReader();
  }

  @Bean
  @Order(300)
  @ConditionalOnMissingBean
  X509GrpcAuthenticationReader x509GrpcAuthenticationReader() {
    return new X509GrpcAuthenticationReader();
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.security.oauth2.server.resource.authentication"
      + ".BearerTokenAuthenticationToken")
  static final class BearerTokenConfiguration {
    @Bean
    @Order(100)
    @ConditionalOnMissingBean
    BearerTokenGrpcAuthenticationReader bearerTokenGrpcAuthenticationReader() {
      return new BearerTokenGrpcAuthenticationReader();
    }
  }
}
