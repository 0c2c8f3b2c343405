package dev.grpcspring.boot.autoconfigure.etcd;

import dev.grpcspring.boot.server.GrpcServerBuilderCustomizer;
import dev.grpcspring.boot.server.GrpcServerStartedEvent;
import dev.grpcspring.etcd.EtcdRegistration;
import dev.grpcspring.server.ServerBuilder;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationListener;

/**
 * Registers the gRPC server in etcd once it listens, and deregisters it from a server shutdown
 * hook: the hook runs when the server's graceful shutdown begins, before it sends GOAWAY, so
 * clients drop the address before the server refuses calls.
 */
final class EtcdServerRegistrar
    implements GrpcServerBuilderCustomizer, ApplicationListener<GrpcServerStartedEvent>, DisposableBean {
  private final EtcdRegistration.Builder registrations;
  private final AtomicReference<EtcdRegistration> current = new AtomicReference<>();

  EtcdServerRegistrar(EtcdRegistration.Builder registrations) {
    this.registrations = registrations;
  }

  @Override
  public void customize(ServerBuilder builder) {
    builder.addShutdownHook(this::deregister);
  }

  @Override
  public void onApplicationEvent(GrpcServerStartedEvent event) {
    EtcdRegistration registration = registrations.build();
    EtcdRegistration previous = current.getAndSet(registration);
    if (previous != null) {
      previous.deregister();
    }
    registration.register(event.getServer().getListenAddresses());
  }

  /** The live registration, or null before the server started and after it stopped. */
  EtcdRegistration registration() {
    return current.get();
  }

  private void deregister() {
    EtcdRegistration registration = current.getAndSet(null);
    if (registration != null) {
      registration.deregister();
    }
  }

  @Override
  public void destroy() {
    deregister();
  }
}
