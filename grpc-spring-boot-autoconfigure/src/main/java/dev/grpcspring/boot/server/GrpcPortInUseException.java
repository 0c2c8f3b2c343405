package dev.grpcspring.boot.server;

/** The gRPC server could not bind its port because another socket holds it. */
public class GrpcPortInUseException extends RuntimeException {

  private final int port;

  public GrpcPortInUseException(int port, Throwable cause) {
    super("gRPC server port " + port + " is already in use", cause);
    this.port = port;
  }

  public int getPort() {
    return port;
  }
}
