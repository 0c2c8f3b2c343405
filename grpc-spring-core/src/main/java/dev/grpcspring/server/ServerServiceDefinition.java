package dev.grpcspring.server;

import dev.grpcspring.MethodDescriptor;
import dev.grpcspring.ServerCallHandler;
import dev.grpcspring.ServiceDescriptor;
import dev.grpcspring.interceptor.ServerInterceptor;
import dev.grpcspring.interceptor.ServerInterceptors;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A service ready to register: its {@link ServiceDescriptor} and a handler for every method.
 */
public final class ServerServiceDefinition {
  private final ServiceDescriptor serviceDescriptor;
  private final Map<String, ServerMethodDefinition<?, ?>> methods;

  private ServerServiceDefinition(
      ServiceDescriptor serviceDescriptor, Map<String, ServerMethodDefinition<?, ?>> methods) {
    this.serviceDescriptor = serviceDescriptor;
    this.methods = methods;
  }

  /** A builder for a service described by {@code serviceDescriptor}. */
  public static Builder builder(ServiceDescriptor serviceDescriptor) {
    return new Builder(serviceDescriptor);
  }

  public ServiceDescriptor getServiceDescriptor() {
    return serviceDescriptor;
  }

  /** Every method, in the descriptor's order. */
  public Collection<ServerMethodDefinition<?, ?>> getMethods() {
    return methods.values();
  }

  /** The method with this full name ({@code package.Service/Method}), or null. */
  public @Nullable ServerMethodDefinition<?, ?> getMethod(String fullMethodName) {
    return methods.get(fullMethodName);
  }

  /**
   * The same service with every handler wrapped by {@code interceptors}; the first interceptor sees
   * each call first.
   */
  public ServerServiceDefinition intercept(List<? extends ServerInterceptor> interceptors) {
    if (interceptors.isEmpty()) {
      return this;
    }
    Map<String, ServerMethodDefinition<?, ?>> wrapped = new LinkedHashMap<>();
    for (Map.Entry<String, ServerMethodDefinition<?, ?>> e : methods.entrySet()) {
      wrapped.put(e.getKey(), wrap(e.getValue(), interceptors));
    }
    return new ServerServiceDefinition(serviceDescriptor, wrapped);
  }

  private static <ReqT, RespT> ServerMethodDefinition<ReqT, RespT> wrap(
      ServerMethodDefinition<ReqT, RespT> def, List<? extends ServerInterceptor> interceptors) {
    return def.withServerCallHandler(
        ServerInterceptors.intercept(def.getServerCallHandler(), interceptors));
  }

  /** Builds a {@link ServerServiceDefinition}; every method of the descriptor needs a handler. */
  public static final class Builder {
    private final ServiceDescriptor serviceDescriptor;
    private final Map<String, ServerMethodDefinition<?, ?>> methods = new LinkedHashMap<>();

    private Builder(ServiceDescriptor serviceDescriptor) {
      this.serviceDescriptor = Objects.requireNonNull(serviceDescriptor, "serviceDescriptor");
    }

    public <ReqT, RespT> Builder addMethod(
        MethodDescriptor<ReqT, RespT> method, ServerCallHandler<ReqT, RespT> handler) {
      return addMethod(ServerMethodDefinition.create(method, handler));
    }

    public <ReqT, RespT> Builder addMethod(ServerMethodDefinition<ReqT, RespT> def) {
      String name = def.getMethodDescriptor().getFullMethodName();
      if (!serviceDescriptor.getName().equals(def.getMethodDescriptor().getServiceName())) {
        throw new IllegalArgumentException(
            "Method " + name + " is not part of service " + serviceDescriptor.getName());
      }
      if (methods.putIfAbsent(name, def) != null) {
        throw new IllegalStateException("Method " + name + " already has a handler");
      }
      return this;
    }

    /**
     * @throws IllegalStateException if a method of the descriptor has no handler, or a handler has
     *     no method in the descriptor
     */
    public ServerServiceDefinition build() {
      Set<String> expected = new HashSet<>();
      Map<String, ServerMethodDefinition<?, ?>> ordered = new LinkedHashMap<>();
      for (MethodDescriptor<?, ?> m : serviceDescriptor.getMethods()) {
        expected.add(m.getFullMethodName());
        ServerMethodDefinition<?, ?> def = methods.get(m.getFullMethodName());
        if (def == null) {
          throw new IllegalStateException("No handler for method " + m.getFullMethodName());
        }
        ordered.put(m.getFullMethodName(), def);
      }
      for (String name : methods.keySet()) {
        if (!expected.contains(name)) {
          throw new IllegalStateException(
              "Handler for " + name + " has no method in the service descriptor");
        }
      }
      return new ServerServiceDefinition(
          serviceDescriptor, java.util.Collections.unmodifiableMap(ordered));
    }
  }
}
