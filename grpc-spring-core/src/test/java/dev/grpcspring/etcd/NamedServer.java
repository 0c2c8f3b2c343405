package dev.grpcspring.etcd;

import com.google.protobuf.StringValue;
import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.MethodType;
import dev.grpcspring.ServiceDescriptor;
import dev.grpcspring.codec.ProtoMarshaller;
import dev.grpcspring.server.Server;
import dev.grpcspring.server.ServerServiceDefinition;
import dev.grpcspring.stub.ServerCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One of our servers answering {@code test.Echo/Unary} with its name, registered in etcd under
 * {@code service} with a lease; shutting it down deregisters it first (a shutdown hook).
 */
final class NamedServer implements AutoCloseable {
  static final MethodDescriptor<StringValue, StringValue> UNARY =
      MethodDescriptor.<StringValue, StringValue>newBuilder()
          .setType(MethodType.UNARY)
          .setFullMethodName("test.Echo/Unary")
          .setRequestMarshaller(ProtoMarshaller.of(StringValue.getDefaultInstance()))
          .setResponseMarshaller(ProtoMarshaller.of(StringValue.getDefaultInstance()))
          .build();

  final String name;
  final Server server;
  final EtcdRegistration registration;

  private NamedServer(String name, Server server, EtcdRegistration registration) {
    this.name = name;
    this.server = server;
    this.registration = registration;
  }

  static NamedServer start(String name, EtcdClient etcd, String service, Duration ttl) throws IOException {
    EtcdRegistration registration = EtcdRegistration.newBuilder(etcd, service).ttl(ttl).build();
    AtomicReference<EtcdRegistration> hook = new AtomicReference<>(registration);
    ServiceDescriptor descriptor = ServiceDescriptor.newBuilder("test.Echo").addMethod(UNARY).build();
    Server server = Server.builder()
        .address(new InetSocketAddress("127.0.0.1", 0))
        .registerService(ServerServiceDefinition.builder(descriptor)
            .addMethod(UNARY, ServerCalls.asyncUnaryCall((req, out) -> {
              out.onNext(StringValue.of(name));
              out.onCompleted();
            }))
            .build())
        .addShutdownHook(() -> hook.get().deregister())
        .build()
        .start();
    registration.register(server.getListenAddresses());
    // Registration is asynchronous and offers nothing to wait on: poll its flag briefly.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!registration.isRegistered()) {
      if (System.nanoTime() > deadline) {
        server.close();
        throw new AssertionError(name + " was not registered in etcd within 10 s");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    return new NamedServer(name, server, registration);
  }

  String hostPort() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Graceful: deregisters (shutdown hook), then GOAWAY, then waits for calls to finish. */
  void shutdownGracefully() throws InterruptedException {
    server.shutdown();
    server.awaitTermination(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    server.close();
  }
}
