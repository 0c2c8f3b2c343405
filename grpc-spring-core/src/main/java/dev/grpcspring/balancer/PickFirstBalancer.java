package dev.grpcspring.balancer;

import dev.grpcspring.ConnectivityState;
import dev.grpcspring.Status;
import dev.grpcspring.resolver.Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@code pick_first} policy (grpc-go's classic pick_first, with A62's behaviour): one
 * subchannel over the whole address list, which it tries in order; every call goes to it.
 *
 * <ul>
 *   <li>CONNECTING and READY are passed on, with a picker that queues calls or returns the
 *       subchannel.
 *   <li>TRANSIENT_FAILURE is sticky: once every address has failed, the channel stays in
 *       TRANSIENT_FAILURE (its picker carrying the latest error) until the subchannel is READY; a
 *       subchannel that goes IDLE after its backoff is told to connect again at once.
 *   <li>When a READY connection drops, the subchannel goes IDLE: the channel reports IDLE and the
 *       next pick asks it to connect (the call waits for the result).
 *   <li>TRANSIENT_FAILURE and IDLE ask the resolver to resolve again.
 * </ul>
 *
 * Not thread-safe: the channel calls it from its callback serializer only.
 */
final class PickFirstBalancer implements Balancer {
  private final BalancerClientConn clientConn;
  private final Supplier<Random> random;

  private @Nullable SubConn subConn;
  private ConnectivityState state = ConnectivityState.IDLE;
  private boolean closed;

  PickFirstBalancer(BalancerClientConn clientConn, Supplier<Random> random) {
    this.clientConn = clientConn;
    this.random = random;
  }

  @Override
  public Status updateClientConnState(ClientConnState ccState) {
    if (closed) {
      return Status.UNAVAILABLE.withDescription("pick_first balancer is closed");
    }
    List<Address> addresses = ccState.resolverState().addresses();
    if (addresses.isEmpty()) {
      Status error =
          Status.UNAVAILABLE.withDescription(
              "Name resolver returned no addresses for " + clientConn.target());
      resolverError(error);
      return error;
    }
    if (ccState.balancerConfig() instanceof PickFirstBalancerBuilder.PickFirstConfig cfg
        && cfg.shuffleAddressList()) {
      List<Address> shuffled = new ArrayList<>(addresses);
      Collections.shuffle(shuffled, random.get());
      addresses = shuffled;
    }
    if (subConn != null) {
      // The subchannel keeps its connection if the connected address is still in the list.
      subConn.updateAddresses(addresses);
      return Status.OK;
    }
    SubConn[] holder = new SubConn[1];
    holder[0] = clientConn.newSubConn(
        addresses, new NewSubConnOptions(s -> onSubConnState(holder[0], s)));
    subConn = holder[0];
    state = ConnectivityState.CONNECTING;
    clientConn.updateState(new BalancerState(ConnectivityState.CONNECTING, Pickers.QUEUE));
    subConn.connect();
    return Status.OK;
  }

  @Override
  public void resolverError(Status error) {
    if (closed) {
      return;
    }
    if (subConn == null) {
      state = ConnectivityState.TRANSIENT_FAILURE;
    }
    // With a subchannel that works or is trying, the old addresses keep serving.
    if (state != ConnectivityState.TRANSIENT_FAILURE) {
      return;
    }
    clientConn.updateState(
        new BalancerState(
            ConnectivityState.TRANSIENT_FAILURE,
            Pickers.error(Pickers.unavailable(error, "Name resolution failed for " + clientConn.target()))));
  }

  @Override
  public void exitIdle() {
    if (!closed && subConn != null && state == ConnectivityState.IDLE) {
      subConn.connect();
    }
  }

  @Override
  public void close() {
    closed = true;
    if (subConn != null) {
      SubConn sc = subConn;
      subConn = null;
      sc.shutdown();
    }
  }

  private void onSubConnState(SubConn sc, SubConnState update) {
    if (closed || sc != subConn) {
      return; // a subchannel we already dropped
    }
    ConnectivityState next = update.state();
    switch (next) {
      case READY -> {
        state = next;
        clientConn.updateState(new BalancerState(next, Pickers.of(sc)));
      }
      case CONNECTING -> {
        if (state == ConnectivityState.TRANSIENT_FAILURE) {
          return; // sticky: stay in TRANSIENT_FAILURE until READY
        }
        state = next;
        clientConn.updateState(new BalancerState(next, Pickers.QUEUE));
      }
      case IDLE -> {
        clientConn.resolveNow();
        if (state == ConnectivityState.TRANSIENT_FAILURE) {
          sc.connect(); // A62: keep trying, still reporting TRANSIENT_FAILURE
          return;
        }
        state = next;
        clientConn.updateState(new BalancerState(next, Pickers.idle(sc)));
      }
      case TRANSIENT_FAILURE -> {
        state = next;
        clientConn.resolveNow();
        clientConn.updateState(
            new BalancerState(
                next,
                Pickers.error(
                    Pickers.unavailable(
                        update.connectionError(),
                        "Failed to connect to any address of " + clientConn.target()))));
      }
      case SHUTDOWN -> subConn = null;
    }
  }
}
