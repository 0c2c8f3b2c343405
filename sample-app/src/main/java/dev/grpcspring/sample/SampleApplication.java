package dev.grpcspring.sample;

import dev.grpcspring.boot.client.ImportGrpcClients;
import dev.grpcspring.sample.proto.GreeterGrpc;
import dev.grpcspring.sample.proto.SecureGreeterGrpc;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample: serves {@code grpcspring.sample.Greeter} on the gRPC port (9090), and offers
 * {@code GET /hello?name=...} on the HTTP port (8080), which calls the service through a stub
 * bean. {@code @ImportGrpcClients} makes the blocking stub of the {@code greeter} channel a bean
 * named {@code greeterGreeterBlockingStub}, injected into {@link GreetingController} by type and
 * replaceable with {@code @MockitoBean} in tests; {@link StreamingDemo} shows {@code @GrpcClient}
 * fields instead.
 */
@SpringBootApplication
@ImportGrpcClients(channel = "greeter", types = {GreeterGrpc.GreeterBlockingStub.class,
    SecureGreeterGrpc.SecureGreeterBlockingStub.class})
public class SampleApplication {
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
