package dev.grpcspring.balancer;

import dev.grpcspring.resolver.Address;
import java.util.List;

/**
 * A subchannel: a logical connection to one of a list of addresses, made by a balancer through
 * {@link BalancerClientConn#newSubConn}. Its state changes go to the listener given at creation.
 */
public interface SubConn {
  /**
   * Starts connecting if IDLE; otherwise does nothing. Safe to call from any thread: pickers call it
   * from the calling thread (pick_first's IDLE picker), so implementations hand the work to the
   * channel's serializer.
   */
  void connect();

  /** Replaces the addresses; reconnects if the connected address is gone. */
  void updateAddresses(List<Address> addresses);

  /** The current addresses. */
  List<Address> getAddresses();

  /** Closes it; it reports SHUTDOWN. In-flight calls on it finish. */
  void shutdown();
}
