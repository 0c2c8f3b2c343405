package dev.grpcspring.resolver;

import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * Splits {@code host[:port]} as targets write it: IPv6 literals in brackets ({@code [::1]:50051}),
 * or bare when no port follows ({@code ::1}). Shared by the passthrough, dns, static and etcd resolvers.
 */
public final class HostPort {
  private HostPort() {}

  /**
   * Parses {@code hostPort} into an unresolved address.
   *
   * @param defaultPort used when no port is given; when it is not a valid port, a missing port is
   *     an error
   * @throws IllegalArgumentException naming what is wrong
   */
  public static InetSocketAddress parse(String hostPort, int defaultPort) {
    if (hostPort.isEmpty()) {
      throw new IllegalArgumentException("Empty address: expected host[:port]");
    }
    String host;
    String port;
    if (hostPort.charAt(0) == '[') {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("Unclosed '[' in address '" + hostPort + "'");
      }
      host = hostPort.substring(1, close);
      String rest = hostPort.substring(close + 1);
      if (rest.isEmpty()) {
        port = null;
      } else if (rest.charAt(0) == ':') {
        port = rest.substring(1);
      } else {
        throw new IllegalArgumentException(
            "Unexpected '" + rest + "' after ']' in address '" + hostPort + "'; expected [host]:port");
      }
      if (host.isEmpty() || host.indexOf(':') < 0) {
        throw new IllegalArgumentException(
            "Brackets must hold an IPv6 literal in address '" + hostPort + "'");
      }
    } else {
      int first = hostPort.indexOf(':');
      int last = hostPort.lastIndexOf(':');
      if (first < 0) {
        host = hostPort;
        port = null;
      } else if (first == last) {
        host = hostPort.substring(0, first);
        port = hostPort.substring(first + 1);
      } else if (isIpv6Literal(hostPort)) {
        host = hostPort;
        port = null;
      } else {
        throw new IllegalArgumentException(
            "Too many colons in address '" + hostPort + "'; write IPv6 addresses as [addr]:port");
      }
    }
    if (host.isEmpty()) {
      host = "localhost";
    }
    return InetSocketAddress.createUnresolved(host, parsePort(port, defaultPort, hostPort));
  }

  /** {@code host} with brackets when it is an IPv6 literal, then {@code :port}. */
  public static String format(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static int parsePort(@Nullable String port, int defaultPort, String hostPort) {
    if (port == null || port.isEmpty()) {
      if (defaultPort < 0 || defaultPort > 65535) {
        throw new IllegalArgumentException("No port in address '" + hostPort + "'; add :port");
      }
      return defaultPort;
    }
    int value = 0;
    for (int i = 0; i < port.length(); i++) {
      char c = port.charAt(i);
      if (c < '0' || c > '9' || i >= 5) {
        throw new IllegalArgumentException("Invalid port '" + port + "' in address '" + hostPort + "'");
      }
      value = value * 10 + (c - '0');
    }
    if (value > 65535) {
      throw new IllegalArgumentException("Port " + value + " out of range in address '" + hostPort + "'");
    }
    return value;
  }

  private static boolean isIpv6Literal(String s) {
    int zone = s.indexOf('%');
    String addr = zone >= 0 ? s.substring(0, zone) : s;
    for (int i = 0; i < addr.length(); i++) {
      char c = addr.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
          || c == ':' || c == '.';
      if (!ok) {
        return false;
      }
    }
    if (zone == 0) {
      return false;
    }
    int colons = 0;
    for (int i = 0; i < addr.length(); i++) {
      if (addr.charAt(i) == ':') {
        colons++;
      }
    }
    int compressed = addr.indexOf("::");
    if (compressed >= 0) {
      return compressed == addr.lastIndexOf("::") && colons <= 8;
    }
    // Uncompressed: eight groups, or six groups then a dotted IPv4 address.
    return colons == 7 || (colons == 6 && addr.indexOf('.') > 0);
  }
}
