package dev.grpcspring.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpcspring.internal.ExponentialBackoff;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ApiBoundaryTest {

  /** Reaches into a hidden package on purpose, for the checker to find. */
  @SuppressWarnings("unused")
  private ExponentialBackoff hidden;

  /**
   * Every package of core is either API or not, by a decision made here: a new package fails
   * this test until it is added to one of the two lists (and, if API, to module-info.java).
   */
  @Test
  void theExportedPackagesAreTheApi() {
    assertThat(ApiBoundary.exportedPackages()).containsExactlyInAnyOrder(
        "dev.grpcspring",
        "dev.grpcspring.balancer",
        "dev.grpcspring.channelz",
        "dev.grpcspring.channelz.service",
        "dev.grpcspring.channelz.v1",
        "dev.grpcspring.client",
        "dev.grpcspring.codec",
        "dev.grpcspring.credentials",
        "dev.grpcspring.etcd",
        "dev.grpcspring.etcd.v3",
        "dev.grpcspring.health",
        "dev.grpcspring.health.v1",
        "dev.grpcspring.inprocess",
        "dev.grpcspring.interceptor",
        "dev.grpcspring.proxy",
        "dev.grpcspring.reflection",
        "dev.grpcspring.reflection.v1",
        "dev.grpcspring.reflection.v1alpha",
        "dev.grpcspring.resolver",
        "dev.grpcspring.server",
        "dev.grpcspring.serviceconfig",
        "dev.grpcspring.stub");
    assertThat(ApiBoundary.hiddenPackages()).containsExactlyInAnyOrder(
        "dev.grpcspring.internal",
        "dev.grpcspring.protocol",
        "dev.grpcspring.transport",
        "dev.grpcspring.transport.inprocess");
    assertThat(ApiBoundary.coreModule().name()).isEqualTo("dev.grpcspring");
  }

  @Test
  void findsAReferenceToAHiddenPackage() throws URISyntaxException {
    Path testClasses = Path.of(ApiBoundaryTest.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    assertThat(ApiBoundary.violations(testClasses)).contains(
        "dev.grpcspring.testing.ApiBoundaryTest -> dev.grpcspring.internal.ExponentialBackoff"
            + " (package dev.grpcspring.internal is not exported)");
  }
}
