package dev.grpcspring.boot.autoconfigure.etcd;

import dev.grpcspring.boot.server.GrpcServerBuilderCustomizer;
import dev.grpcspring.boot.server.GrpcServerStartedEvent;
import dev.grpcspring.etcd.EtcdRegistration;
import dev.grpcspring.server.ServerBuilder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationListener;

/**
 * Registers the gRPC server in etcd once it listens, and deregisters it from a server shutdown
 * hook: the hook runs when the server's graceful shutdown begins, before it sends GOAWAY, so
 * clients drop the address before the server refuses calls. A server with no TCP listener (only
 * in-process or Unix-socket ones, as in tests) has nothing others could dial: it is not
 * registered, and the log says so.
 */
final class EtcdServerRegistrar
    implements GrpcServerBuilderCustomizer, ApplicationListener<GrpcServerStartedEvent>, DisposableBean {
  private static final Log log = LogFactory.getLog(EtcdServerRegistrar.class);

  private final EtcdRegistration.Builder registrations;
  private final String service;
  private final AtomicReference<EtcdRegistration> current = new AtomicReference<>();

  EtcdServerRegistrar(EtcdRegistration.Builder registrations, String service) {
    this.registrations = registrations;
    this.service = service;
  }

  @Override
  public void customize(ServerBuilder builder) {
    builder.addShutdownHook(this::deregister);
  }

  @Override
  public void onApplicationEvent(GrpcServerStartedEvent event) {
    List<? extends SocketAddress> addresses = event.getServer().getListenAddresses();
    if (addresses.stream().noneMatch(InetSocketAddress.class::isInstance)) {
      log.info("gRPC server registration in etcd skipped for service '" + service + "': the server"
          + " listens on " + addresses + ", no TCP address other processes could dial (set"
          + " grpc.server.port to register, or grpc.server.registration.enabled=false to silence this)");
      return;
    }
    EtcdRegistration registration = registrations.build();
    EtcdRegistration previous = current.getAndSet(registration);
    if (previous != null) {
      previous.deregister();
    }
    registration.register(addresses);
  }

  /** The live registration, or null before the server started and after it stopped. */
  @Nullable EtcdRegistration registration() {
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
