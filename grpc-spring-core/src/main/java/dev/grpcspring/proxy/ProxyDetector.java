package dev.grpcspring.proxy;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Decides, for each connection a client makes to a TCP address, whether it goes through an HTTP
 * CONNECT proxy (grpc-java's {@code ProxyDetector}, grpc-go's proxy dialer). Called once per
 * connection attempt, possibly on an event loop (so it must not block), with the address as the
 * resolver gave it: with the default {@code passthrough} resolver that is the target's host name,
 * unresolved, so the proxy is the one that looks it up.
 */
@FunctionalInterface
public interface ProxyDetector {
  /**
   * The proxy for a connection to {@code target}, or null to connect directly.
   *
   * @param target the address to reach, resolved or not
   */
  @Nullable HttpConnectProxy proxyFor(InetSocketAddress target);

  /** Never a proxy. */
  static ProxyDetector none() {
    return target -> null;
  }

  /** Always {@code proxy}, except for the hosts {@code noProxy} lists. */
  static ProxyDetector of(HttpConnectProxy proxy, NoProxyList noProxy) {
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(noProxy, "noProxy");
    return target -> noProxy.matches(target.getHostString(), target.getPort()) ? null : proxy;
  }

  /** The proxy from this process's environment variables ({@link #fromEnvironment(UnaryOperator)}). */
  static ProxyDetector fromEnvironment() {
    return fromEnvironment(System::getenv);
  }

  /**
   * The proxy the environment names, read once, now. The proxy is the first set of {@code
   * grpc_proxy}, {@code HTTPS_PROXY} and {@code https_proxy} (gRPC's connections are HTTPS-like,
   * so {@code http_proxy} does not apply, as in grpc-go); the hosts that bypass it are the first set
   * of {@code no_grpc_proxy}, {@code NO_PROXY} and {@code no_proxy}. As in grpc-go, {@code
   * localhost} and loopback addresses never go through an environment proxy.
   *
   * @param env looks a variable up, null when unset (tests pass a map's {@code get})
   * @throws IllegalArgumentException naming the variable, when its value cannot be parsed
   */
  static ProxyDetector fromEnvironment(UnaryOperator<String> env) {
    String[] proxyVars = {"grpc_proxy", "HTTPS_PROXY", "https_proxy"};
    String[] noProxyVars = {"no_grpc_proxy", "NO_PROXY", "no_proxy"};
    String proxyVar = firstSet(env, proxyVars);
    if (proxyVar == null) {
      return none();
    }
    HttpConnectProxy proxy;
    try {
      proxy = HttpConnectProxy.parse(env.apply(proxyVar));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Environment variable " + proxyVar + ": " + e.getMessage()
          + "; fix or unset it, or turn proxies off for the channel", e);
    }
    String noProxyVar = firstSet(env, noProxyVars);
    NoProxyList noProxy;
    try {
      noProxy = noProxyVar == null ? NoProxyList.empty() : NoProxyList.parse(env.apply(noProxyVar));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Environment variable " + noProxyVar + ": " + e.getMessage(), e);
    }
    ProxyDetector configured = of(proxy, noProxy);
    return target -> isLoopback(target) ? null : configured.proxyFor(target);
  }

  private static @Nullable String firstSet(UnaryOperator<String> env, String[] names) {
    for (String n : names) {
      String v = env.apply(n);
      if (v != null && !v.isBlank()) {
        return n;
      }
    }
    return null;
  }

  private static boolean isLoopback(InetSocketAddress target) {
    String host = target.getHostString();
    if (host.equalsIgnoreCase("localhost") || host.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
      return true;
    }
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
    if (ip == null) {
      return !target.isUnresolved() && target.getAddress().isLoopbackAddress();
    }
    try {
      return InetAddress.getByAddress(ip).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("Netty accepted " + host + " as an IP address", e);
    }
  }
}
