package dev.grpcspring.boot.autoconfigure.client;

import dev.grpcspring.client.DialOptions;
import dev.grpcspring.proxy.HttpConnectProxy;
import dev.grpcspring.proxy.NoProxyList;
import dev.grpcspring.proxy.ProxyDetector;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The HTTP CONNECT proxy of one channel, {@code grpc.client.channel.<name>.proxy.*} (gRFC A1).
 * With nothing set, the channel follows the environment: {@code grpc_proxy} or {@code
 * https_proxy}, bypassed for the hosts in {@code no_proxy}, never for localhost.
 */
public class ChannelProxyProperties {

  /**
   * Whether the channel may use a proxy at all. False connects directly whatever the environment
   * and {@code address} (perhaps inherited from the default channel) say. True when unset.
   */
  private @Nullable Boolean enabled;

  /**
   * The proxy every connection goes through, instead of the environment's: {@code host:port} or
   * {@code http://[user:password@]host:port}. Only HTTP CONNECT proxies are supported.
   */
  private @Nullable String address;

  /**
   * Hosts that bypass {@code address}, written as {@code no_proxy}: comma-separated names (a name
   * covers its subdomains), {@code .domain} for subdomains only, IP addresses, CIDR blocks, an
   * optional {@code :port}, or {@code *}. Needs {@code address}.
   */
  private @Nullable String noProxy;

  /** User for the proxy's Basic authentication; overrides a user in {@code address}. */
  private @Nullable String username;

  /** Password for the proxy's Basic authentication; goes with {@code username}. */
  private @Nullable String password;

  public @Nullable Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(@Nullable Boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable String getAddress() {
    return address;
  }

  public void setAddress(@Nullable String address) {
    this.address = address;
  }

  public @Nullable String getNoProxy() {
    return noProxy;
  }

  public void setNoProxy(@Nullable String noProxy) {
    this.noProxy = noProxy;
  }

  public @Nullable String getUsername() {
    return username;
  }

  public void setUsername(@Nullable String username) {
    this.username = username;
  }

  public @Nullable String getPassword() {
    return password;
  }

  public void setPassword(@Nullable String password) {
    this.password = password;
  }

  /**
   * Applies the keys that are set to {@code options}; {@code name} is the channel's.
   *
   * @throws InvalidConfigurationPropertyValueException for a value that cannot be used
   */
  void applyTo(DialOptions.Builder options, String name) {
    String prefix = "grpc.client.channel." + name + ".proxy.";
    if (Boolean.FALSE.equals(enabled)) {
      // Wins over an address, which may come from the default channel.
      options.noProxy();
      return;
    }
    if (address == null || address.isBlank()) {
      if (noProxy != null || username != null || password != null) {
        String key = noProxy != null ? "no-proxy" : username != null ? "username" : "password";
        throw new InvalidConfigurationPropertyValueException(prefix + key, "(set)",
            "It applies only to a proxy set with " + prefix + "address; for the environment's "
                + "proxy, use the no_proxy variable and credentials in https_proxy.");
      }
      return; // the environment's proxy, read when the channel is dialed
    }
    HttpConnectProxy proxy;
    try {
      proxy = HttpConnectProxy.parse(address);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(prefix + "address", proxyForMessage(address),
          e.getMessage());
    }
    if (username != null) {
      proxy = new HttpConnectProxy(proxy.address(), username, password);
    } else if (password != null) {
      throw new InvalidConfigurationPropertyValueException(prefix + "password", "(set)",
          "A password needs " + prefix + "username.");
    }
    NoProxyList bypass;
    try {
      bypass = NoProxyList.parse(noProxy);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(prefix + "no-proxy", noProxy,
          e.getMessage());
    }
    options.proxyDetector(ProxyDetector.of(proxy, bypass));
  }

  /** The address as a message may show it: without user and password. */
  private String proxyForMessage(String address) {
    int at = address.lastIndexOf('@');
    int scheme = address.indexOf("://");
    return at < 0 ? address
        : (scheme < 0 || scheme > at ? "" : address.substring(0, scheme + 3)) + "***"
            + address.substring(at);
  }
}
