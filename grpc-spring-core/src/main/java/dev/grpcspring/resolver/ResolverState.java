package dev.grpcspring.resolver;

import dev.grpcspring.Attributes;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a resolver reports (grpc-go's {@code resolver.State}).
 *
 * @param addresses the addresses, in priority order
 * @param serviceConfigJson the service config as JSON, or null when the resolver has none
 * @param attributes anything else, for balancers
 */
public record ResolverState(
    List<Address> addresses, @Nullable String serviceConfigJson, @Nullable Attributes attributes) {
  public ResolverState {
    addresses = List.copyOf(addresses);
    attributes = attributes == null ? Attributes.EMPTY : attributes;
  }

  /** Addresses only. */
  public static ResolverState of(List<Address> addresses) {
    return new ResolverState(addresses, null, Attributes.EMPTY);
  }
}
