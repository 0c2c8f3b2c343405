package dev.grpcspring.proxy;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The hosts that bypass a proxy, written as {@code no_proxy} writes them (the rules of Go's
 * {@code httpproxy}, which grpc-go uses): comma-separated entries, each {@code *} (everything), an
 * IP address, a CIDR block ({@code 10.0.0.0/8}), or a domain ({@code example.com} matches it and
 * its subdomains, {@code .example.com} and {@code *.example.com} only the subdomains), optionally
 * with {@code :port}. Names compare case-insensitively, and are not looked up: an entry with an IP
 * matches only a target written as that IP.
 */
public final class NoProxyList {
  private static final NoProxyList EMPTY = new NoProxyList(false, List.of());

  private final boolean all;
  private final List<Entry> entries;

  private NoProxyList(boolean all, List<Entry> entries) {
    this.all = all;
    this.entries = entries;
  }

  /** A list that bypasses nothing. */
  public static NoProxyList empty() {
    return EMPTY;
  }

  /**
   * Parses {@code spec}; null or blank bypasses nothing.
   *
   * @throws IllegalArgumentException for an entry with a bad port or CIDR prefix
   */
  public static NoProxyList parse(@Nullable String spec) {
    if (spec == null || spec.isBlank()) {
      return EMPTY;
    }
    List<Entry> entries = new ArrayList<>();
    for (String raw : spec.split(",")) {
      String e = raw.trim().toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      if (e.equals("*")) {
        return new NoProxyList(true, List.of());
      }
      entries.add(Entry.parse(e, spec));
    }
    return new NoProxyList(false, List.copyOf(entries));
  }

  /** Whether a connection to {@code host:port} goes direct. */
  public boolean matches(String host, int port) {
    if (all) {
      return true;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(h);
    for (Entry e : entries) {
      if (e.matches(h, ip, port)) {
        return true;
      }
    }
    return false;
  }

  private record Entry(@Nullable String domain, boolean subdomainsOnly, byte @Nullable [] ip,
      int prefixBits, int port) {
    static Entry parse(String e, String spec) {
      int slash = e.indexOf('/');
      if (slash >= 0) {
        byte[] network = NetUtil.createByteArrayFromIpAddressString(e.substring(0, slash));
        int bits;
        try {
          bits = Integer.parseInt(e.substring(slash + 1));
        } catch (NumberFormatException ex) {
          bits = -1;
        }
        if (network == null || bits < 0 || bits > network.length * 8) {
          throw new IllegalArgumentException("Bad CIDR block '" + e + "' in no_proxy '" + spec
              + "'; expected an address and a prefix length such as 10.0.0.0/8");
        }
        return new Entry(null, false, network, bits, -1);
      }
      byte[] literal = NetUtil.createByteArrayFromIpAddressString(e);
      if (literal != null) {
        return new Entry(null, false, literal, literal.length * 8, -1);
      }
      String host = e;
      int port = -1;
      if (host.startsWith("[")) {
        int close = host.indexOf(']');
        String rest = close < 0 ? "" : host.substring(close + 1);
        literal = close < 0 ? null : NetUtil.createByteArrayFromIpAddressString(host.substring(1, close));
        if (literal == null || !rest.isEmpty() && !rest.startsWith(":")) {
          throw new IllegalArgumentException("Bad entry '" + e + "' in no_proxy '" + spec + "'");
        }
        return new Entry(null, false, literal, literal.length * 8,
            rest.isEmpty() ? -1 : port(rest.substring(1), e, spec));
      }
      int colon = host.lastIndexOf(':');
      if (colon >= 0) {
        port = port(host.substring(colon + 1), e, spec);
        host = host.substring(0, colon);
        literal = NetUtil.createByteArrayFromIpAddressString(host);
        if (literal != null) {
          return new Entry(null, false, literal, literal.length * 8, port);
        }
      }
      boolean subdomainsOnly = false;
      if (host.startsWith("*.")) {
        host = host.substring(1);
      }
      if (host.startsWith(".")) {
        subdomainsOnly = true;
        host = host.substring(1);
      }
      return new Entry(host, subdomainsOnly, null, 0, port);
    }

    private static int port(String p, String e, String spec) {
      int port = p.matches("[0-9]{1,5}") ? Integer.parseInt(p) : 0;
      if (port == 0 || port > 65535) {
        throw new IllegalArgumentException(
            "Bad port in entry '" + e + "' of no_proxy '" + spec + "'; expected 1 to 65535");
      }
      return port;
    }

    boolean matches(String host, byte @Nullable [] hostIp, int targetPort) {
      if (port >= 0 && port != targetPort) {
        return false;
      }
      if (ip != null) {
        return hostIp != null && hostIp.length == ip.length && samePrefix(ip, hostIp);
      }
      if (hostIp != null) {
        return false;
      }
      if (host.equals(domain)) {
        return !subdomainsOnly;
      }
      return host.endsWith("." + domain);
    }

    private boolean samePrefix(byte[] network, byte[] a) {
      int bits = prefixBits;
      for (int i = 0; i < network.length && bits > 0; i++, bits -= 8) {
        int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
        if ((a[i] & mask) != (network[i] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
