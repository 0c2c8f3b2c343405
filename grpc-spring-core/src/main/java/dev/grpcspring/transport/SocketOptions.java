package dev.grpcspring.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The socket options of a connection as channelz shows them: those of this list that the
 * channel's Netty config supports (NIO has no TCP_KEEPIDLE; epoll has), read from the socket.
 */
final class SocketOptions {
  /** Socket-level options, in the order channelz lists them. Names are Netty's (and the OS's). */
  private static final List<String> NAMES = List.of("SO_KEEPALIVE", "TCP_NODELAY", "SO_LINGER",
      "SO_RCVBUF", "SO_SNDBUF", "SO_REUSEADDR", "IP_TOS", "TCP_KEEPIDLE", "TCP_KEEPINTVL",
      "TCP_KEEPCNT", "TCP_USER_TIMEOUT", "TCP_QUICKACK", "TCP_NOTSENT_LOWAT");

  private SocketOptions() {}

  /** Name to value; empty when the channel is closed or not connected. */
  static Map<String, String> of(@Nullable Channel ch) {
    if (ch == null || !ch.isActive()) {
      return Map.of();
    }
    Map<String, String> options = new LinkedHashMap<>();
    try {
      for (String name : NAMES) {
        if (!ChannelOption.exists(name)) {
          continue; // the transport that defines it (epoll) is not loaded
        }
        Object value = ch.config().getOption(ChannelOption.valueOf(name));
        if (value != null) {
          options.put(name, String.valueOf(value));
        }
      }
    } catch (ChannelException e) {
      // The socket closed while we read it: a closed socket has no options to show.
      return Map.of();
    }
    return Collections.unmodifiableMap(options);
  }
}
