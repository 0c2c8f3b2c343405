package dev.grpcspring.interop;

import dev.grpcspring.testing.ApiBoundary;
import org.junit.jupiter.api.Test;

/** This module's main code uses grpc-spring-core through the packages core exports only. */
class CoreApiUsageTest {

  @Test
  void mainCodeUsesOnlyCoresApi() {
    ApiBoundary.assertUsesOnlyApi(InteropServer.class);
  }
}
