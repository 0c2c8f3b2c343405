package dev.grpcspring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Describes a service: its full name and its methods. Generated code holds one per service.
 */
public final class ServiceDescriptor {
  private final String name;
  private final List<MethodDescriptor<?, ?>> methods;
  private final @Nullable Object schemaDescriptor;

  private ServiceDescriptor(
      String name, Collection<MethodDescriptor<?, ?>> methods, @Nullable Object schema) {
    this.name = Objects.requireNonNull(name, "name");
    Set<String> seen = new HashSet<>();
    for (MethodDescriptor<?, ?> m : methods) {
      if (!m.getServiceName().equals(name)) {
        throw new IllegalArgumentException(
            "Method " + m.getFullMethodName() + " does not belong to service " + name);
      }
      if (!seen.add(m.getFullMethodName())) {
        throw new IllegalArgumentException("Method " + m.getFullMethodName() + " is listed twice");
      }
    }
    this.methods = List.copyOf(methods);
    this.schemaDescriptor = schema;
  }

  public static Builder newBuilder(String name) {
    return new Builder(name);
  }

  /** {@code package.Service}. */
  public String getName() {
    return name;
  }

  public List<MethodDescriptor<?, ?>> getMethods() {
    return methods;
  }

  /** Schema information (a protobuf file descriptor supplier for generated code), or null. */
  public @Nullable Object getSchemaDescriptor() {
    return schemaDescriptor;
  }

  @Override
  public String toString() {
    return "ServiceDescriptor{" + name + ", " + methods.size() + " methods}";
  }

  /** Builds {@link ServiceDescriptor}s. */
  public static final class Builder {
    private final String name;
    private final List<MethodDescriptor<?, ?>> methods = new ArrayList<>();
    private @Nullable Object schemaDescriptor;

    private Builder(String name) {
      this.name = name;
    }

    public Builder addMethod(MethodDescriptor<?, ?> method) {
      methods.add(Objects.requireNonNull(method, "method"));
      return this;
    }

    public Builder setSchemaDescriptor(@Nullable Object schemaDescriptor) {
      this.schemaDescriptor = schemaDescriptor;
      return this;
    }

    public ServiceDescriptor build() {
      return new ServiceDescriptor(name, methods, schemaDescriptor);
    }
  }
}
