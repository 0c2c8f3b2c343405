package dev.grpcspring.inprocess;

import java.net.SocketAddress;
import java.util.Objects;

/**
 * The address of a server in this JVM, by name: give it to {@code ServerBuilder.address(...)} (or
 * use {@code ServerBuilder.inProcessName(name)}) to listen, and dial {@code in-process:<name>} to
 * reach it. No socket is involved. Two servers running at the same time cannot share a name.
 */
public final class InProcessSocketAddress extends SocketAddress {
  private static final long serialVersionUID = 1L;

  private final String name;

  /**
   * @param name the server's name; any non-empty string
   * @throws IllegalArgumentException if {@code name} is empty
   */
  public InProcessSocketAddress(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("An in-process server name must not be empty");
    }
    this.name = name;
  }

  /** The server's name. */
  public String name() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InProcessSocketAddress other && other.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  /** {@code in-process:<name>}, the target that dials this address. */
  @Override
  public String toString() {
    return "in-process:" + name;
  }
}
