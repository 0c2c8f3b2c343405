package dev.grpcspring.server;

/** A service implementation that knows how to bind itself; generated {@code ImplBase}s are. */
public interface BindableService {
  /** The definition to register on a {@link Server}. */
  ServerServiceDefinition bindService();
}
