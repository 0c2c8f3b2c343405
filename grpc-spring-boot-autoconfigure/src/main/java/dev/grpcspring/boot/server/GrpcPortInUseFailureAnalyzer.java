package dev.grpcspring.boot.server;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a startup that failed because the gRPC port was taken, and how to fix it. */
class GrpcPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<GrpcPortInUseException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, GrpcPortInUseException cause) {
    return new FailureAnalysis(
        "The gRPC server failed to start: port " + cause.getPort() + " is already in use.",
        "Stop the process that listens on port " + cause.getPort()
            + ", or set the property grpc.server.port to another port (0 picks a free one).",
        cause);
  }
}
