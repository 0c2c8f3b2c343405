package dev.grpcspring.resolver;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code static} scheme: a fixed, comma-separated list of {@code host:port} addresses, reported
 * once in the order given ({@code static://10.0.0.1:443,10.0.0.2:443,[::1]:443}; {@code
 * static:///...} and {@code static:...} work too). IPv6 literals go in brackets. Each address is an
 * unresolved {@link InetSocketAddress}; a missing port takes the channel's default port. Malformed
 * lists fail at build with {@link IllegalArgumentException}.
 */
public final class StaticResolverBuilder implements ResolverBuilder {
  public static final String SCHEME = "static";

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public Resolver build(Target target, ResolverClientConn clientConn, ResolverBuildOptions options) {
    List<Address> addresses = new ArrayList<>();
    for (InetSocketAddress address : parse(target, options.defaultPort())) {
      addresses.add(Address.of(address));
    }
    clientConn.updateState(ResolverState.of(addresses));
    return new PassthroughResolverBuilder.NoopResolver();
  }

  /** The first entry as written, since {@code :authority} can name only one host. */
  @Override
  public String defaultAuthority(Target target) {
    String list = listOf(target);
    int comma = list.indexOf(',');
    return (comma < 0 ? list : list.substring(0, comma)).strip();
  }

  private static List<InetSocketAddress> parse(Target target, int defaultPort) {
    String list = listOf(target);
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      String hostPort = part.strip();
      if (hostPort.isEmpty()) {
        throw new IllegalArgumentException(
            "static target '" + target + "' has an empty entry; expected host:port[,host:port...]");
      }
      try {
        addresses.add(HostPort.parse(hostPort, defaultPort));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Bad static target '" + target + "': " + e.getMessage(), e);
      }
    }
    return addresses;
  }

  private static String listOf(Target target) {
    boolean hasAuthority = !target.authority().isEmpty();
    boolean hasEndpoint = !target.endpoint().isEmpty();
    if (hasAuthority && hasEndpoint) {
      throw new IllegalArgumentException(
          "static target '" + target + "' has both an authority and a path; write static://host:port,host:port");
    }
    if (!hasAuthority && !hasEndpoint) {
      throw new IllegalArgumentException(
          "static target '" + target + "' lists no addresses; write static://host:port,host:port");
    }
    return hasAuthority ? target.authority() : target.endpoint();
  }
}
