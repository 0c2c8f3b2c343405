package dev.grpcspring.transport.inprocess;

import dev.grpcspring.codec.CompressorRegistry;
import dev.grpcspring.inprocess.InProcessSocketAddress;
import dev.grpcspring.transport.ServerTransport;
import dev.grpcspring.transport.ServerTransportListener;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * A server's claim on an in-process name: while it is bound, clients dialling {@code
 * in-process:<name>} connect to it. The in-process counterpart of a listening socket.
 */
public final class InProcessBinding implements AutoCloseable {
  private static final ConcurrentMap<String, InProcessBinding> BOUND = new ConcurrentHashMap<>();

  /**
   * What the server applies to in-process streams, as its HTTP/2 connections do.
   *
   * @param maxInboundMessageSize the largest request message, in bytes
   * @param maxInboundMetadataSize the largest request header list, counted as HTTP/2 counts it
   * @param flowControlWindow the bytes a client may send on a stream beyond what the server has
   *     consumed before the client's {@code isReady} turns false (plus the same 32 KiB allowance
   *     HTTP/2 streams have)
   * @param compressors the request encodings understood and response encodings offered
   */
  public record Options(int maxInboundMessageSize, int maxInboundMetadataSize,
      int flowControlWindow, CompressorRegistry compressors) {
    public Options {
      Objects.requireNonNull(compressors, "compressors");
    }
  }

  /** Accepts a client's connection. */
  @FunctionalInterface
  public interface Acceptor {
    /**
     * A client connected. Called on a client's thread; must not block.
     *
     * @return the listener for the connection's streams, or null to refuse the connection (the
     *     server is shutting down)
     */
    @Nullable ServerTransportListener transportCreated(ServerTransport transport);
  }

  private final InProcessSocketAddress address;
  private final Options options;
  private final Acceptor acceptor;

  private InProcessBinding(InProcessSocketAddress address, Options options, Acceptor acceptor) {
    this.address = address;
    this.options = options;
    this.acceptor = acceptor;
  }

  /**
   * Claims {@code address}'s name.
   *
   * @throws IOException if another running server has the name
   */
  public static InProcessBinding bind(InProcessSocketAddress address, Options options,
      Acceptor acceptor) throws IOException {
    InProcessBinding b = new InProcessBinding(Objects.requireNonNull(address, "address"),
        Objects.requireNonNull(options, "options"), Objects.requireNonNull(acceptor, "acceptor"));
    if (BOUND.putIfAbsent(address.name(), b) != null) {
      throw new IOException("An in-process server named '" + address.name()
          + "' is already running; shut it down first or choose another name");
    }
    return b;
  }

  /** The bound server under {@code name}, or null. */
  static @Nullable InProcessBinding lookup(String name) {
    return BOUND.get(name);
  }

  /** The name's address. */
  public InProcessSocketAddress address() {
    return address;
  }

  Options options() {
    return options;
  }

  Acceptor acceptor() {
    return acceptor;
  }

  /** Frees the name: new clients no longer reach this server; connections made stay. */
  @Override
  public void close() {
    BOUND.remove(address.name(), this);
  }

  @Override
  public String toString() {
    return "InProcessBinding{" + address + "}";
  }
}
