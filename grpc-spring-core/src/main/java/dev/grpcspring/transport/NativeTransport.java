package dev.grpcspring.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Chooses between Netty's native epoll transport and NIO. Epoll is used when its native library
 * loads (Linux on x86_64 or aarch64), because it needs fewer system calls and less garbage per
 * read and write than NIO, and it reaches abstract Unix sockets; everywhere else NIO works
 * unchanged. Set the system property {@value #PROPERTY} to {@code false} to force NIO.
 */
public final class NativeTransport {
  /** System property that, set to {@code false}, turns the native transport off. */
  public static final String PROPERTY = "dev.grpcspring.transport.native";

  private static final Logger log = Logger.getLogger(NativeTransport.class.getName());
  private static final boolean EPOLL = loadEpoll();

  private NativeTransport() {}

  private static boolean loadEpoll() {
    if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
      return false;
    }
    try {
      if (Epoll.isAvailable()) {
        return true;
      }
      log.log(Level.FINE, "Netty's epoll transport is unavailable, using NIO",
          Epoll.unavailabilityCause());
      return false;
    } catch (LinkageError e) {
      // netty-transport-classes-epoll was excluded from the class path.
      log.log(Level.FINE, "Netty's epoll classes are missing, using NIO", e);
      return false;
    }
  }

  /** Whether new event loop groups use epoll. */
  public static boolean isEpoll() {
    return EPOLL;
  }

  /** The I/O handler for event loop groups this library creates. */
  public static IoHandlerFactory ioHandlerFactory() {
    return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  /** Whether {@code group} runs epoll (rather than NIO or another transport). */
  public static boolean isEpollGroup(EventLoopGroup group) {
    if (!(group instanceof IoEventLoopGroup io)) {
      return false;
    }
    try {
      return io.isIoType(EpollIoHandler.class);
    } catch (LinkageError e) {
      return false;
    }
  }

  /**
   * The client channel class that reaches {@code address} on {@code group}: TCP, or a Unix domain
   * socket for {@link DomainSocketAddress} and {@link UnixDomainSocketAddress}.
   */
  public static Class<? extends Channel> channelType(EventLoopGroup group, SocketAddress address) {
    boolean epoll = isEpollGroup(group);
    if (isUnix(address)) {
      return epoll ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class;
    }
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** The listening channel class for {@code address} on {@code group}. */
  public static Class<? extends ServerChannel> serverChannelType(EventLoopGroup group,
      SocketAddress address) {
    boolean epoll = isEpollGroup(group);
    if (isUnix(address)) {
      return epoll ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
    }
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /**
   * {@code address} in the form the channel class of {@code group} accepts: Netty's
   * {@link DomainSocketAddress} for epoll, the JDK's {@link UnixDomainSocketAddress} for NIO.
   *
   * @throws IllegalArgumentException for an abstract socket on NIO, which the JDK cannot reach
   */
  public static SocketAddress adapt(EventLoopGroup group, SocketAddress address) {
    boolean epoll = isEpollGroup(group);
    if (address instanceof DomainSocketAddress dsa && !epoll) {
      if (dsa.path().startsWith("\0")) {
        throw new IllegalArgumentException("Abstract Unix domain sockets ("
            + dsa.path().substring(1) + ") need Netty's native epoll transport, which is not in"
            + " use here (Linux only; -D" + PROPERTY + "=false turns it off); use a filesystem"
            + " socket path instead");
      }
      return UnixDomainSocketAddress.of(dsa.path());
    }
    if (address instanceof UnixDomainSocketAddress uds && epoll) {
      return new DomainSocketAddress(uds.getPath().toString());
    }
    return address;
  }

  private static boolean isUnix(SocketAddress address) {
    return address instanceof DomainSocketAddress || address instanceof UnixDomainSocketAddress;
  }
}
