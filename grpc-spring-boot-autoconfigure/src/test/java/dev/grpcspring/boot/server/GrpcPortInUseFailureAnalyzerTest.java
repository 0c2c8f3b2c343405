package dev.grpcspring.boot.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.grpcspring.boot.it.EchoApplication;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

class GrpcPortInUseFailureAnalyzerTest {

  @Test
  void portInUseFailsStartupWithAnAnalysisNamingPortAndProperty() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();
      Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(EchoApplication.class)
          .properties("grpc.server.port=" + port, "grpc.client.channel.default.target=localhost:1")
          .run()
          .close());
      assertThat(failure).isNotNull();
      GrpcPortInUseException cause = findCause(failure);
      assertThat(cause).isNotNull();
      assertThat(cause.getPort()).isEqualTo(port);
      FailureAnalysis analysis = new GrpcPortInUseFailureAnalyzer().analyze(failure);
      assertThat(analysis.getDescription()).contains(String.valueOf(port));
      assertThat(analysis.getAction()).contains("grpc.server.port");
    }
  }

  private static GrpcPortInUseException findCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof GrpcPortInUseException e) {
        return e;
      }
    }
    return null;
  }

  @Test
  void analyzerIsRegisteredForSpringBoot() {
    assertThat(org.springframework.core.io.support.SpringFactoriesLoader.loadFactoryNames(
            org.springframework.boot.diagnostics.FailureAnalyzer.class, null))
        .contains(GrpcPortInUseFailureAnalyzer.class.getName());
  }
}
