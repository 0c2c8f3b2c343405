package dev.grpcspring.interop;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.testing.TlsTesting;
import io.grpc.ServerInterceptors;
import io.grpc.testing.integration.AbstractInteropTest;
import io.grpc.testing.integration.TestServiceImpl;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * grpc-java's interop TestService, served the way its TestServiceServer does (its metadata-echo
 * interceptors, a 16 MiB inbound limit), on a loopback port of our choosing, with whichever
 * grpc-java server transport is on the class path (grpc-netty-shaded here). TestServiceServer
 * itself cannot run here: its start() links against the unshaded grpc-netty, which is kept off our
 * class path (it would bring Netty 4.1 next to our 4.2).
 */
final class GrpcJavaInteropServer implements AutoCloseable {
  private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
  private final Server server;

  GrpcJavaInteropServer() throws IOException {
    this(false);
  }

  /**
   * With {@code tls}, as TestServiceServer {@code --use_tls=true}: presents grpc's test
   * certificate {@code server1} ({@code certs/server1.pem} and {@code .key} of grpc-testing).
   */
  GrpcJavaInteropServer(boolean tls) throws IOException {
    ServerCredentials creds = tls ? TlsServerCredentials.create(
        TlsTesting.loadCert("server1.pem"), TlsTesting.loadCert("server1.key"))
        : InsecureServerCredentials.create();
    server = Grpc.newServerBuilderForPort(0, creds)
        .maxInboundMessageSize(AbstractInteropTest.MAX_MESSAGE_SIZE)
        .addService(ServerInterceptors.intercept(
            new TestServiceImpl(executor), TestServiceImpl.interceptors()))
        .build()
        .start();
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
    executor.shutdownNow();
  }
}
