package dev.grpcspring.resolver;

import io.netty.channel.unix.DomainSocketAddress;
import java.util.List;

/**
 * The {@code unix} and {@code unix-abstract} schemes: one Unix domain socket, reported once as a
 * {@link DomainSocketAddress}.
 *
 * <ul>
 *   <li>{@code unix:path} takes the path as written (relative or absolute); {@code
 *       unix:///absolute/path} (three slashes) takes an absolute path. An authority ({@code
 *       unix://host/path}) is an error.
 *   <li>{@code unix-abstract:name} names a socket in Linux's abstract namespace; the address carries
 *       the name after a leading NUL, the form Netty's native transport uses for it.
 * </ul>
 *
 * Whether the socket can be reached (a native transport exists on this platform) is the transport's
 * business: it fails the connection with UNAVAILABLE saying why. The default {@code :authority} is
 * {@code localhost}.
 */
public final class UnixResolverBuilder implements ResolverBuilder {
  public static final String UNIX = "unix";
  public static final String UNIX_ABSTRACT = "unix-abstract";

  private final boolean abstractNamespace;

  /** The {@code unix} scheme. */
  public UnixResolverBuilder() {
    this(false);
  }

  private UnixResolverBuilder(boolean abstractNamespace) {
    this.abstractNamespace = abstractNamespace;
  }

  /** The {@code unix-abstract} scheme. */
  public static UnixResolverBuilder abstractNamespace() {
    return new UnixResolverBuilder(true);
  }

  @Override
  public String scheme() {
    return abstractNamespace ? UNIX_ABSTRACT : UNIX;
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
   * The socket address {@code target} names.
   *
   * @throws IllegalArgumentException naming what is wrong with the target
   */
  public DomainSocketAddress socketAddress(Target target) {
    if (!target.authority().isEmpty()) {
      throw new IllegalArgumentException(
          scheme() + " target '" + target + "' has an authority ('" + target.authority()
              + "'); write " + scheme() + ":relative/path or " + scheme() + ":///absolute/path");
    }
    if (target.endpoint().isEmpty()) {
      throw new IllegalArgumentException(
          scheme() + " target '" + target + "' names no socket; write " + scheme() + ":path");
    }
    if (target.uri() == null) {
      throw new IllegalArgumentException(scheme() + " target '" + target + "' is not a valid URI");
    }
    // Target.endpoint() drops the leading slash of hierarchical paths; a socket path needs it.
    String path = target.uri().isOpaque() ? target.endpoint() : "/" + target.endpoint();
    if (abstractNamespace) {
      return new DomainSocketAddress("\0" + target.endpoint());
    }
    return new DomainSocketAddress(path);
  }
}
