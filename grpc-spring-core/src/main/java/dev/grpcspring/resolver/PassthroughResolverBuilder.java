package dev.grpcspring.resolver;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The {@code passthrough} scheme, the default: the endpoint is one {@code host:port} handed to the
 * transport as an unresolved {@link InetSocketAddress}, which the transport resolves without
 * blocking an event loop. Nothing is re-resolved.
 *
 * <p>A missing port takes the channel's default port ({@link ResolverBuildOptions#defaultPort()},
 * 443 as for dns, unless the channel chose otherwise); a malformed endpoint fails at build with
 * {@link IllegalArgumentException}, so dialing fails at once rather than every call failing later.
 * (grpc-go hands the string to its dialer, which fails every connection attempt on a missing port.)
 */
public final class PassthroughResolverBuilder implements ResolverBuilder {
  public static final String SCHEME = "passthrough";

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public Resolver build(Target target, ResolverClientConn clientConn, ResolverBuildOptions options) {
    if (target.endpoint().isEmpty()) {
      throw new IllegalArgumentException(
          "passthrough target '" + target + "' has no endpoint; expected passthrough:///host:port");
    }
    InetSocketAddress address;
    try {
      address = HostPort.parse(target.endpoint(), options.defaultPort());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Bad passthrough target '" + target + "': " + e.getMessage(), e);
    }
    clientConn.updateState(ResolverState.of(List.of(Address.of(address))));
    return new NoopResolver();
  }

  /** Nothing to watch: the one address was reported at build. */
  static final class NoopResolver implements Resolver {
    @Override
    public void resolveNow() {}

    @Override
    public void close() {}
  }
}
