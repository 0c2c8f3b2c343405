package dev.grpcspring.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample: serves {@code grpcspring.sample.Greeter} on the gRPC port (9090), and offers
 * {@code GET /hello?name=...} on the HTTP port (8080), which calls the service through a
 * {@code @GrpcClient} stub.
 */
@SpringBootApplication
public class SampleApplication {
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
