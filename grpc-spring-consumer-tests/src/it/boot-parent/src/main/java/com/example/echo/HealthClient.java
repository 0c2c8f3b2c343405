package com.example.echo;

import dev.grpcspring.boot.client.GrpcClient;
import dev.grpcspring.health.v1.HealthGrpc;
import org.springframework.stereotype.Component;

/** The standard health service's stub, on the same channel. */
@Component
public class HealthClient {
  private final HealthGrpc.HealthBlockingStub health;

  HealthClient(@GrpcClient("echo") HealthGrpc.HealthBlockingStub health) {
    this.health = health;
  }

  public HealthGrpc.HealthBlockingStub health() {
    return health;
  }
}
