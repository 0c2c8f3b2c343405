package dev.grpcspring.proxy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP proxy that opens tunnels with {@code CONNECT host:port}: the client connects to the
 * proxy, asks it for the target by name, and speaks HTTP/2 (and TLS, if any) through the tunnel.
 *
 * @param address the proxy; an unresolved address is looked up by the client, off the event loop
 * @param username for {@code Proxy-Authorization: Basic}, or null to send no credentials
 * @param password the password that goes with {@code username} (empty when absent)
 */
public record HttpConnectProxy(InetSocketAddress address, @Nullable String username,
    @Nullable String password) {
  /** Port of a proxy written without one, as HTTP's default. */
  public static final int DEFAULT_PORT = 80;

  public HttpConnectProxy {
    Objects.requireNonNull(address, "address");
    if (username == null) {
      password = null;
    } else if (password == null) {
      password = "";
    }
  }

  /** A proxy that needs no credentials. */
  public static HttpConnectProxy of(InetSocketAddress address) {
    return new HttpConnectProxy(address, null, null);
  }

  /**
   * Parses a proxy as the environment variables write it: {@code host:port}, {@code host} (port
   * 80), or {@code http://[user[:password]@]host[:port][/]}; user and password are
   * percent-decoded.
   *
   * @throws IllegalArgumentException naming what is wrong, for another scheme ({@code https://}
   *     and {@code socks5://} proxies are not supported), a path, or a bad port
   */
  public static HttpConnectProxy parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    String s = spec.trim();
    String shown = redacted(s);
    if (s.isEmpty()) {
      throw new IllegalArgumentException("Empty proxy address; expected http://host:port");
    }
    if (!s.contains("://")) {
      s = "http://" + s;
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "Bad proxy address '" + shown + "': " + e.getReason() + "; expected http://host:port", e);
    }
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("Proxy '" + shown + "' has scheme '" + uri.getScheme()
          + "'; only HTTP CONNECT proxies (http://host:port) are supported");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(
          "Proxy '" + shown + "' names no host; expected http://host:port");
    }
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
        || uri.getRawQuery() != null) {
      throw new IllegalArgumentException("Proxy '" + shown
          + "' has a path or query; a CONNECT proxy is only host and port (http://host:port)");
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
    if (port == 0 || port > 65535) {
      throw new IllegalArgumentException("Proxy '" + shown + "' has port " + port
          + "; expected 1 to 65535");
    }
    String user = null;
    String password = null;
    String info = uri.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? "" : decode(info.substring(colon + 1));
    }
    return new HttpConnectProxy(InetSocketAddress.createUnresolved(host, port), user, password);
  }

  /** {@code spec} without what user-info it has, for messages. */
  static String redacted(String spec) {
    int at = spec.lastIndexOf('@');
    if (at < 0) {
      return spec;
    }
    int scheme = spec.indexOf("://");
    String prefix = scheme < 0 || scheme > at ? "" : spec.substring(0, scheme + 3);
    return prefix + "***" + spec.substring(at);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The {@code Proxy-Authorization} value, or null when there is no username. */
  public @Nullable String authorization() {
    if (username == null) {
      return null;
    }
    return "Basic " + Base64.getEncoder().encodeToString(
        (username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Host and port, never the credentials (for logs and status messages). */
  @Override
  public String toString() {
    String host = address.getHostString();
    return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
