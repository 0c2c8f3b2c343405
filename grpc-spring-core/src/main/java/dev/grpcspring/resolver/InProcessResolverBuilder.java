package dev.grpcspring.resolver;

import dev.grpcspring.inprocess.InProcessSocketAddress;
import java.util.List;

/**
 * The {@code in-process} scheme: {@code in-process:<name>} (or {@code in-process:///<name>})
 * reaches the server in this JVM that listens under that in-process name, with no socket. Reported
 * once as an {@link InProcessSocketAddress}; whether a server has the name is found when the
 * subchannel connects (UNAVAILABLE, then backoff, when none does). The default {@code :authority}
 * is {@code localhost}.
 */
public final class InProcessResolverBuilder implements ResolverBuilder {
  public static final String SCHEME = "in-process";

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public Resolver build(Target target, ResolverClientConn clientConn, ResolverBuildOptions options) {
    clientConn.updateState(ResolverState.of(List.of(Address.of(socketAddress(target)))));
    return new PassthroughResolverBuilder.NoopResolver();
  }

  @Override
  public String defaultAuthority(Target target) {
    return "localhost";
  }

  /**
   * The address {@code target} names.
   *
   * @throws IllegalArgumentException naming what is wrong with the target
   */
  public InProcessSocketAddress socketAddress(Target target) {
    if (!target.authority().isEmpty()) {
      throw new IllegalArgumentException("in-process target '" + target + "' has an authority ('"
          + target.authority() + "'); write in-process:<name>");
    }
    if (target.endpoint().isEmpty()) {
      throw new IllegalArgumentException(
          "in-process target '" + target + "' names no server; write in-process:<name>");
    }
    return new InProcessSocketAddress(target.endpoint());
  }
}
