package dev.grpcspring.boot.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.grpcspring.boot.server.GrpcService;
import dev.grpcspring.boot.test.proto.EchoRequest;
import dev.grpcspring.boot.test.proto.EchoResponse;
import dev.grpcspring.boot.test.proto.EchoServiceGrpc;
import dev.grpcspring.stub.StreamObserver;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.access.annotation.Secured;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * A secured echo service: JWTs signed by a key made here, Basic users in memory, method security.
 * Every handler answers with the name of the caller it sees in {@link SecurityContextHolder}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableMethodSecurity(securedEnabled = true)
class SecuredEchoApplication {

  /** The issuer's key pair; tests sign with {@link #token}. */
  static final KeyPair KEYS = rsa();

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JWT for {@code subject} with {@code roles}, signed by {@code keys}, expiring at {@code exp}. */
  static String token(KeyPair keys, String subject, Instant exp, String... roles) {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
        .subject(subject).claim("roles", List.of(roles)).issueTime(new Date())
        .expirationTime(Date.from(exp)).build());
    try {
      jwt.sign(new RSASSASigner(keys.getPrivate()));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  static String token(String subject, String... roles) {
    return token(KEYS, subject, Instant.now().plusSeconds(300), roles);
  }

  @Bean
  JwtDecoder jwtDecoder() {
    return NimbusJwtDecoder.withPublicKey((RSAPublicKey) KEYS.getPublic()).build();
  }

  /** Roles from the token's {@code roles} claim. */
  @Bean
  JwtAuthenticationConverter jwtAuthenticationConverter() {
    JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
    authorities.setAuthoritiesClaimName("roles");
    authorities.setAuthorityPrefix("ROLE_");
    JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
    converter.setJwtGrantedAuthoritiesConverter(authorities);
    return converter;
  }

  @Bean
  UserDetailsService users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("basic").password("{noop}secret").roles("USER").build(),
        User.withUsername("testclient").password("{noop}unused").roles("USER").build());
  }

  static String caller() {
    Authentication a = SecurityContextHolder.getContext().getAuthentication();
    return a == null ? "<none>" : a.getName();
  }

  static EchoResponse answer(String text) {
    return EchoResponse.newBuilder().setText(caller() + ":" + text).build();
  }

  /**
   * Echo needs ADMIN through {@code @PreAuthorize}; Expand is open (a rule in the test's
   * properties); Collect needs ADMIN through a rule in the properties; Chat needs USER through
   * {@code @Secured}.
   */
  @GrpcService
  static class SecuredEcho extends EchoServiceGrpc.EchoServiceImplBase {
    @Override
    @PreAuthorize("hasRole('ADMIN')")
    public void echo(EchoRequest request, StreamObserver<EchoResponse> responses) {
      responses.onNext(answer(request.getText()));
      responses.onCompleted();
    }

    @Override
    public void expand(EchoRequest request, StreamObserver<EchoResponse> responses) {
      for (int i = 0; i < Math.max(1, request.getCount()); i++) {
        responses.onNext(answer(request.getText() + i));
      }
      responses.onCompleted();
    }

    @Override
    public StreamObserver<EchoRequest> collect(StreamObserver<EchoResponse> responses) {
      StringBuilder seen = new StringBuilder();
      return new StreamObserver<>() {
        @Override
        public void onNext(EchoRequest value) {
          seen.append(caller()).append(',');
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          responses.onNext(answer(seen.toString()));
          responses.onCompleted();
        }
      };
    }

    @Override
    @Secured("ROLE_USER")
    public StreamObserver<EchoRequest> chat(StreamObserver<EchoResponse> responses) {
      return new StreamObserver<>() {
        @Override
        public void onNext(EchoRequest value) {
          responses.onNext(answer(value.getText()));
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          responses.onNext(answer("done"));
          responses.onCompleted();
        }
      };
    }
  }
}
