package dev.grpcspring.sample;

import dev.grpcspring.Code;
import dev.grpcspring.StatusException;
import dev.grpcspring.boot.client.BearerTokenCredentials;
import dev.grpcspring.client.ClientCallOptions;
import dev.grpcspring.sample.proto.HelloRequest;
import dev.grpcspring.sample.proto.SecureGreeterGrpc;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Calls the three SecureGreeter methods, relaying the HTTP request's bearer token (if any) on the
 * gRPC call:
 *
 * <pre>
 * curl localhost:8080/secure/open?name=Ada                        # 200
 * curl localhost:8080/secure/signed-in?name=Ada                   # 401: no token
 * TOKEN=$(curl -s 'localhost:8080/secure/token?user=ada&amp;roles=USER')
 * curl -H "Authorization: Bearer $TOKEN" localhost:8080/secure/signed-in   # 200
 * curl -H "Authorization: Bearer $TOKEN" localhost:8080/secure/admin       # 403: no ADMIN role
 * </pre>
 */
@RestController
public class SecureGreetingController {

  private final SecureGreeterGrpc.SecureGreeterBlockingStub greeter;
  private final JwtEncoder encoder;

  public SecureGreetingController(SecureGreeterGrpc.SecureGreeterBlockingStub greeter,
      JwtEncoder encoder) {
    this.greeter = greeter;
    this.encoder = encoder;
  }

  /** A demo token, signed with the sample's secret; a real client gets one from its issuer. */
  @GetMapping("/secure/token")
  public String token(@RequestParam String user,
      @RequestParam(defaultValue = "USER") List<String> roles) {
    return SampleSecurity.issue(encoder, user, roles);
  }

  /** Calls {@code open}, {@code signed-in} or {@code admin}. */
  @GetMapping("/secure/{level}")
  public String hello(@PathVariable String level, @RequestParam(defaultValue = "stranger") String name,
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
    SecureGreeterGrpc.SecureGreeterBlockingStub stub = greeter;
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      // The channel is loopback plaintext inside this process, so the relayed token is allowed
      // over it explicitly; across a network it would need TLS.
      stub = stub.withOption(ClientCallOptions.PER_RPC_CREDENTIALS,
          BearerTokenCredentials.of(authorization.substring(7).trim(), false));
    }
    HelloRequest request = HelloRequest.newBuilder().setName(name).build();
    return switch (level) {
      case "open" -> stub.openHello(request).getMessage();
      case "signed-in" -> stub.signedInHello(request).getMessage();
      case "admin" -> stub.adminHello(request).getMessage();
      default -> throw new IllegalArgumentException("Use open, signed-in or admin");
    };
  }

  /** UNAUTHENTICATED answers 401 and PERMISSION_DENIED 403; other failures 502. */
  @ExceptionHandler(StatusException.class)
  public ResponseEntity<String> grpcFailure(StatusException e) {
    HttpStatus status = e.getStatus().getCode() == Code.UNAUTHENTICATED ? HttpStatus.UNAUTHORIZED
        : e.getStatus().getCode() == Code.PERMISSION_DENIED ? HttpStatus.FORBIDDEN
        : HttpStatus.BAD_GATEWAY;
    return ResponseEntity.status(status).body("gRPC call failed: " + e.getStatus().getCode()
        + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()));
  }

  @ExceptionHandler(IllegalArgumentException.class)
  public ResponseEntity<String> badLevel(IllegalArgumentException e) {
    return ResponseEntity.badRequest().body(e.getMessage());
  }
}
