package dev.grpcspring.resolver;

import dev.grpcspring.Attributes;
import java.net.SocketAddress;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One server address a resolver found (grpc-go's {@code resolver.Address}).
 *
 * @param socketAddress where to connect; an unresolved {@link java.net.InetSocketAddress} is
 *     resolved by the transport without blocking an event loop
 * @param authority the {@code :authority} to use for this address, or null for the channel's
 * @param attributes what the resolver says about the address, for balancers
 */
public record Address(
    SocketAddress socketAddress, @Nullable String authority, Attributes attributes) {
  public Address {
    Objects.requireNonNull(socketAddress, "socketAddress");
    attributes = attributes == null ? Attributes.EMPTY : attributes;
  }

  /** An address with no authority override and no attributes. */
  public static Address of(SocketAddress socketAddress) {
    return new Address(socketAddress, null, Attributes.EMPTY);
  }
}
